package io.charlatan.das.http;

import java.io.InputStream;
import java.net.URI;
import java.util.function.UnaryOperator;

/**
 * One request as the router reads it, whichever server received it: method, target, a header's
 * first value by name (any case; null when absent), the body.
 */
record Incoming(String method, URI uri, UnaryOperator<String> header, InputStream body) {}
