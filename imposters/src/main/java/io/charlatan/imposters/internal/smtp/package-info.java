/**
 * Not API: Mountebank's smtp imposters, an SMTP listener (the dialogue of Node's {@code
 * smtp-server} as Mountebank 2.9.1 configures it) and the reading of each message into Mountebank's
 * recorded request (as its {@code mailparser} reads it). Public only so that the engine can wire
 * it; use {@code io.charlatan.imposters}.
 */
package io.charlatan.imposters.internal.smtp;
