/**
 * Not API: where the standalone server keeps imposters across restarts ({@code --datadir}), in
 * Mountebank's on-disk layout.
 */
package io.charlatan.imposters.internal.persist;
