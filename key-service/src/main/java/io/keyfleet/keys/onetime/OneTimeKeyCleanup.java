package io.keyfleet.keys.onetime;

import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

/**
 * Every {@code keyfleet.onetime.cleanup-interval} (a minute by default) destroys the private halves of expired,
 * never-used one-time keys, in batches of their own transactions with {@code FOR UPDATE SKIP LOCKED}, so several
 * replicas share the work and a key being decrypted right now is left for the next run.
 */
@ApplicationScoped
public class OneTimeKeyCleanup {

    private static final Logger LOG = Logger.getLogger(OneTimeKeyCleanup.class);
    private static final int BATCH = 200;

    @Inject
    OneTimeKeys oneTimeKeys;

    @Scheduled(every = "${keyfleet.onetime.cleanup-interval:1m}", delayed = "10s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void run() {
        int total = 0;
        try {
            int batch;
            do {
                batch = oneTimeKeys.destroyExpired(BATCH);
                total += batch;
            } while (batch == BATCH);
        } catch (RuntimeException e) {
            LOG.warnf("Destroying expired one-time keys failed, retried next run: %s", e.getMessage());
        }
        if (total > 0) {
            LOG.infof("Destroyed %d expired one-time keys", total);
        }
    }
}
