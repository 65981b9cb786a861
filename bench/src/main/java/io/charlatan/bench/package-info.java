/**
 * Benchmarks of Charlatan against doing the same by hand with the JDK. Run them with {@code
 * bench/run-process-bench.sh}; {@code bench/process.md} explains what is measured.
 */
package io.charlatan.bench;
