package io.charlatan.das;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.charlatan.das.config.DasConfig;
import io.charlatan.junit.Charlatan;
import io.charlatan.junit.MountebankFixtures;
import io.charlatan.junit.RedisFixtures;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/**
 * How many Downloader calls DAS has in flight at once with its default settings: a peer that
 * answers {@code Connection: close} (as Mountebank does) costs every call a new connection and a
 * wait, and deliveries keep up with POSTs only with enough calls waiting side by side (issue 16,
 * bench/das.md).
 */
@Charlatan(fixtures = {RedisFixtures.class, MountebankFixtures.class, DasFixtures.class})
class DasOutboundConcurrencyTest {
  /** The calls DAS delivers side by side by default (das/README, {@code DAS_OUTBOUND_WORKERS}). */
  private static final int IN_FLIGHT = 16;

  private Peers peers;

  @BeforeEach
  void wire(Peers peers) {
    this.peers = peers;
  }

  @Test
  void byDefaultSixteenDownloaderCallsAreInFlightAtOnceAndEachIsDeliveredOnce() throws Exception {
    try (HoldingPeer downloader = new HoldingPeer(IN_FLIGHT)) {
      Map<String, String> env = new HashMap<>();
      env.put("PORT", "0");
      env.put("REDIS_URL", peers.redis.url().toString());
      env.put("DOWNLOADER_URL", "http://127.0.0.1:" + downloader.port());
      env.put("METADATA_PARSER_URL", peers.metadata.url().toString());
      env.put("USER_MANAGEMENT_URL", peers.users.url().toString());
      env.put("TOKEN_KEY_URL", peers.uaa.url() + "/token_key");
      env.put("SELF_URL", "http://das.example");
      // No retry while the peer holds its answers: each call arrives once, and stays open.
      env.put("DAS_OUTBOUND_READ_TIMEOUT_MS", "60000");
      env.put("DAS_OUTBOUND_CLAIM_IDLE_MS", "600000");
      PrintStream quiet =
          new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
      Das das = Das.start(DasConfig.from(env), quiet, quiet);
      try {
        DasClient client = new DasClient(URI.create("http://127.0.0.1:" + das.port()));
        String token = Tokens.bearer(peers.keys, "x");
        Set<String> sources = ConcurrentHashMap.newKeySet();
        for (int i = 0; i < IN_FLIGHT; i++) {
          String source = "http://data.example/" + UUID.randomUUID();
          sources.add(source);
          assertThat(client.submit(token, DasClient.newRequest(Peers.ORG, source)).statusCode())
              .isEqualTo(202);
        }

        // The peer answers none until all are there: they are in flight together.
        await().atMost(Duration.ofSeconds(20)).until(() -> downloader.all.getCount() == 0);
        await().atMost(Duration.ofSeconds(20)).until(() -> downloader.answered.size() == IN_FLIGHT);
        assertThat(downloader.answered).containsExactlyInAnyOrderElementsOf(sources);
        try (Jedis redis = new Jedis(peers.redis.url())) {
          await().atMost(Duration.ofSeconds(10)).until(() -> redis.xlen("das:outbound") == 0);
        }
      } finally {
        downloader.release();
        das.close();
      }
    }
  }

  /**
   * A Downloader that reads each call and holds its answer until {@code n} calls have arrived, then
   * answers them all 200 with {@code Connection: close}.
   */
  private static final class HoldingPeer implements AutoCloseable {
    private static final Pattern SOURCE = Pattern.compile("\"source\"\\s*:\\s*\"([^\"]+)\"");
    private static final Pattern LENGTH = Pattern.compile("(?im)^content-length:\\s*(\\d+)\\s*$");

    private final ServerSocket server = new ServerSocket(0);
    final CountDownLatch all;
    final List<String> answered = new CopyOnWriteArrayList<>();

    HoldingPeer(int n) throws IOException {
      all = new CountDownLatch(n);
      Thread acceptor = new Thread(this::accept, "holding-peer");
      acceptor.setDaemon(true);
      acceptor.start();
    }

    int port() {
      return server.getLocalPort();
    }

    /** Answers every call held, whether or not {@code n} came (a test that failed). */
    void release() {
      while (all.getCount() > 0) {
        all.countDown();
      }
    }

    private void accept() {
      while (!server.isClosed()) {
        try {
          Socket socket = server.accept();
          Thread call = new Thread(() -> serve(socket), "holding-peer-call");
          call.setDaemon(true);
          call.start();
        } catch (IOException e) {
          return;
        }
      }
    }

    private void serve(Socket socket) {
      try (socket) {
        String request = read(socket.getInputStream());
        all.countDown();
        if (!all.await(60, TimeUnit.SECONDS)) {
          return;
        }
        OutputStream out = socket.getOutputStream();
        out.write(
            "HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                .getBytes(StandardCharsets.US_ASCII));
        out.flush();
        Matcher source = SOURCE.matcher(request);
        if (source.find()) {
          answered.add(source.group(1));
        }
      } catch (IOException e) {
        // DAS went away: the call is tried again or claimed.
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    /** The request's head and body, read by its Content-Length. */
    private static String read(InputStream in) throws IOException {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      int headEnd = -1;
      while (headEnd < 0) {
        int b = in.read();
        if (b < 0) {
          throw new IOException("closed before the request's head ended");
        }
        bytes.write(b);
        String text = bytes.toString(StandardCharsets.ISO_8859_1);
        if (text.endsWith("\r\n\r\n")) {
          headEnd = text.length();
        }
      }
      String head = bytes.toString(StandardCharsets.ISO_8859_1);
      Matcher length = LENGTH.matcher(head);
      byte[] body = in.readNBytes(length.find() ? Integer.parseInt(length.group(1)) : 0);
      return head + new String(body, StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws IOException {
      release();
      server.close();
    }
  }
}
