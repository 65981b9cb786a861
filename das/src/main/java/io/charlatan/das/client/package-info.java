/**
 * DAS's HTTP client for the services it calls: blocking HTTP/1.1 calls over kept-alive sockets,
 * behind the JDK's {@code HttpClient} API.
 */
package io.charlatan.das.client;
