/**
 * Not API: Mountebank's REST API ({@code ApiRoutes}, {@code ApiServer}) and the {@code mb} command
 * line ({@code Main}), public only so that {@code EmbeddedMountebank} can wire them. It changes
 * without notice; use {@code io.charlatan.imposters}.
 */
package io.charlatan.imposters.internal.server;
