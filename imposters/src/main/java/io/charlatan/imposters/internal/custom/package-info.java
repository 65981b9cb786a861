/**
 * Not API: Mountebank's custom protocols ({@code --protofile}), each served by a process that the
 * server starts per imposter and that posts requests back to the imposter's callback URL.
 */
package io.charlatan.imposters.internal.custom;
