package io.charlatan.backing;

import java.nio.file.Path;

/**
 * An executable that was found, and how.
 *
 * @param path the executable
 * @param source how it was found, e.g. {@code redis-server on PATH}
 */
record Binary(Path path, String source) {}
