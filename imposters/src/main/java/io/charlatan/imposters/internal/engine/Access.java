package io.charlatan.imposters.internal.engine;

import java.net.InetAddress;
import java.util.List;

/**
 * Who may connect, as Mountebank's {@code --localOnly} and {@code --ipWhitelist} say: loopback
 * addresses always; others only when the whitelist has {@code *} or the address, and never with
 * {@code localOnly}.
 *
 * @param localOnly only loopback clients
 * @param whitelist allowed addresses; {@code *} for all
 */
public record Access(boolean localOnly, List<String> whitelist) {
  /** Everyone may connect: Mountebank's defaults. */
  public static final Access ANYONE = new Access(false, List.of("*"));

  /** Whether a client at this address may connect. */
  public boolean allows(InetAddress address) {
    if (address.isLoopbackAddress()) {
      return true;
    }
    if (localOnly) {
      return false;
    }
    String ip = address.getHostAddress();
    return whitelist.contains("*") || whitelist.contains(ip) || whitelist.contains("::ffff:" + ip);
  }
}
