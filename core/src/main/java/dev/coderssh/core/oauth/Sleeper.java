package dev.coderssh.core.oauth;

import java.time.Duration;

/** Waits between retries; tests pass one that records instead of sleeping. */
public interface Sleeper {
    void sleep(Duration d) throws InterruptedException;

    Sleeper SYSTEM = new Sleeper() {
        @Override
        public void sleep(Duration d) throws InterruptedException {
            Thread.sleep(d.toMillis());
        }
    };
}
