package io.charlatan.process;

import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/** Wakes a waiting starter early: when a line is printed or the process exits. */
final class Signal {
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private boolean fired;

  void fire() {
    lock.lock();
    try {
      fired = true;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** Waits until fired or the time passes; clears the signal. */
  void await(long nanos) throws InterruptedException {
    lock.lock();
    try {
      long remaining = nanos;
      while (!fired && remaining > 0) {
        remaining = changed.awaitNanos(remaining);
      }
      fired = false;
    } finally {
      lock.unlock();
    }
  }
}
