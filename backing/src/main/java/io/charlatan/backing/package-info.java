/**
 * Real backing services for tests, without Docker: {@link io.charlatan.backing.RedisServer} starts
 * a real {@code redis-server} (from an explicit path, the PATH, or the binary bundled in the {@code
 * embedded-redis} artifact) on a free port through the {@code process} module.
 */
package io.charlatan.backing;
