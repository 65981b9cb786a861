/**
 * Not API: the imposter server's web page, served when a browser asks ({@code Accept: text/html})
 * at {@code /}, {@code /imposters}, {@code /imposters/{port}}, {@code /logs} and {@code /config}:
 * plain HTML, CSS and JavaScript from the jar, the recorded requests with the stub that answered
 * each or the nearest stub and why it missed, and live updates by server-sent events. It changes
 * without notice.
 */
package io.charlatan.imposters.internal.ui;
