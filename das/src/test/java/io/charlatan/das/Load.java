package io.charlatan.das;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

/** Clients POSTing new requests to DAS in a loop until told to stop or DAS is gone. */
final class Load {
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  record Answer(int status, String body, String connection, long millis, String failure) {}

  final List<Answer> answers = Collections.synchronizedList(new ArrayList<>());
  private final AtomicBoolean stop = new AtomicBoolean();
  private final String token;
  private final List<Thread> clients = new ArrayList<>();

  /**
   * {@code clients} threads, each POSTing up to {@code each} requests to {@code target(i)} with
   * {@code token}.
   */
  Load(String token, int clients, int each, Function<Integer, URI> target) {
    this(
        token, clients, each, target, i -> FaultRig.newRequest("http://load/" + UUID.randomUUID()));
  }

  /** As {@link #Load(String, int, int, Function)}, POSTing {@code body(i)} as the i-th request. */
  Load(
      String token,
      int clients,
      int each,
      Function<Integer, URI> target,
      Function<Integer, String> body) {
    this.token = token;
    for (int c = 0; c < clients; c++) {
      Thread client =
          new Thread(
              () -> {
                for (int i = 0; i < each && !stop.get(); i++) {
                  if (!send(target.apply(i), body.apply(i))) {
                    return;
                  }
                }
              },
              "load-" + c);
      this.clients.add(client);
      client.start();
    }
  }

  /** False when DAS is gone (connection refused). */
  private boolean send(URI uri, String body) {
    long start = System.nanoTime();
    try {
      HttpResponse<String> answer =
          HTTP.send(
              HttpRequest.newBuilder(uri)
                  .header("Authorization", token)
                  .timeout(Duration.ofSeconds(10))
                  .POST(HttpRequest.BodyPublishers.ofString(body))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      answers.add(
          new Answer(
              answer.statusCode(),
              answer.body(),
              answer.headers().firstValue("Connection").orElse(""),
              (System.nanoTime() - start) / 1_000_000,
              null));
      return true;
    } catch (ConnectException e) {
      return false;
    } catch (IOException e) {
      answers.add(new Answer(-1, "", "", (System.nanoTime() - start) / 1_000_000, e.toString()));
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  long count(int status) {
    synchronized (answers) {
      return answers.stream().filter(a -> a.status() == status).count();
    }
  }

  List<Answer> answers() {
    synchronized (answers) {
      return List.copyOf(answers);
    }
  }

  /** The ids DAS answered 202 with. */
  List<String> accepted() throws IOException {
    List<String> ids = new ArrayList<>();
    for (Answer answer : answers()) {
      if (answer.status() == 202) {
        ids.add(Peers.JSON.readTree(answer.body()).get("id").asText());
      }
    }
    return ids;
  }

  /** Waits for the clients to finish their requests. */
  Load await() throws InterruptedException {
    for (Thread client : clients) {
      client.join(60_000);
    }
    return this;
  }

  /** Tells the clients to stop after their current request, and waits for them. */
  void finish() throws InterruptedException {
    stop.set(true);
    await();
  }
}
