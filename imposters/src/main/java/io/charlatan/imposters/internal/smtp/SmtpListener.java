package io.charlatan.imposters.internal.smtp;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** What an smtp imposter does with the messages its connections receive. */
public interface SmtpListener {
  /**
   * A message was received and read; the client is told it was queued once this returns.
   *
   * @param client the client's address and port, for logs
   * @param request the message as Mountebank records it, without the timestamp
   */
  void received(String client, ObjectNode request);
}
