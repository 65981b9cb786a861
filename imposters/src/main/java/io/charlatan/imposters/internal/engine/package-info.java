/**
 * Not API: Mountebank's semantics (predicates, responses, behaviors, validation, the Netty
 * imposters), public only so that {@code EmbeddedMountebank} and the server can wire them. It
 * changes without notice; use {@code io.charlatan.imposters}.
 */
package io.charlatan.imposters.internal.engine;
