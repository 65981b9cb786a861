package io.charlatan.das.store;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Each organization's requests as the JSON array a listing answers, kept in memory between listings
 * for as long as Redis confirms that nothing they are made of changed ({@link RedisChanges}): a
 * listing then costs one {@code PING} instead of reading and writing every entry. Any change to the
 * requests, by any writer, makes every kept listing stale, so this pays where listings outnumber
 * writes. Holds at most a given number of bytes, the least recently listed organizations leaving
 * first.
 */
public final class OrgListings {
  private final RequestStore store;
  private final Optional<RedisChanges> changes;
  private final long maxBytes;
  // Guarded by this; in the order of last use.
  private final Map<String, Kept> kept = new LinkedHashMap<>(16, 0.75f, true);
  private long bytes;

  /**
   * Listings of {@code store}'s requests, kept while {@code changes} confirms them, in at most
   * {@code maxBytes} (none kept when {@code changes} is empty or {@code maxBytes} is 0).
   */
  public OrgListings(RequestStore store, Optional<RedisChanges> changes, long maxBytes) {
    if (maxBytes < 0) {
      throw new IllegalArgumentException("maxBytes is " + maxBytes + "; give 0 or more");
    }
    this.store = store;
    this.changes = maxBytes == 0 ? Optional.empty() : changes;
    this.maxBytes = maxBytes;
  }

  /** A listing and the version of the data it was made from. */
  private static final class Kept {
    private final long version;
    private final byte[] json;

    Kept(long version, byte[] json) {
      this.version = version;
      this.json = json;
    }

    long version() {
      return version;
    }

    byte[] json() {
      return json;
    }
  }

  /**
   * The requests of {@code org} as a JSON array, oldest first, as {@link RequestStore#listOrg}
   * lists them. The array is shared: do not change it.
   */
  public byte[] json(String org) {
    OptionalLong version = changes.isPresent() ? changes.get().confirm() : OptionalLong.empty();
    if (version.isPresent()) {
      Kept hit = find(org);
      if (hit != null && hit.version() == version.getAsLong()) {
        return hit.json();
      }
    }
    byte[] listing = store.listOrgJson(org);
    if (version.isPresent()) {
      keep(org, new Kept(version.getAsLong(), listing));
    }
    return listing;
  }

  /**
   * The requests of {@code orgs} as one JSON array: each org's listing in turn, in the order given.
   */
  public byte[] json(List<String> orgs) {
    if (orgs.size() == 1) {
      return json(orgs.get(0));
    }
    List<byte[]> listings = new ArrayList<>(orgs.size());
    for (String org : orgs) {
      byte[] listing = json(org);
      if (listing.length > 2) {
        // The elements between the brackets.
        listings.add(Arrays.copyOfRange(listing, 1, listing.length - 1));
      }
    }
    return JsonArrays.join(listings);
  }

  private synchronized Kept find(String org) {
    return kept.get(org);
  }

  private synchronized void keep(String org, Kept listing) {
    if (listing.json().length > maxBytes) {
      return;
    }
    // Replacing a later listing made meanwhile costs that one read; never a stale answer.
    Kept old = kept.put(org, listing);
    bytes += listing.json().length - (old == null ? 0 : old.json().length);
    Iterator<Kept> eldest = kept.values().iterator();
    while (bytes > maxBytes) {
      bytes -= eldest.next().json().length;
      eldest.remove();
    }
  }

  /** How many bytes of listings are kept. */
  synchronized long keptBytes() {
    return bytes;
  }
}
