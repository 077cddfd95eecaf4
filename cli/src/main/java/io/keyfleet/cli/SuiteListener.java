package io.keyfleet.cli;

import java.time.Duration;

/**
 * Progress of {@link Suite#start()} and {@link RunningSuite#stop()}. Components are named {@code postgres},
 * {@code kafka} and the services' module names. Called on the thread that starts or stops the suite.
 */
public interface SuiteListener {

    /** Does nothing. */
    SuiteListener SILENT = new SuiteListener() {
    };

    /** A process now exists for the component (it may not be ready yet). */
    default void processStarted(String component, long pid, int port) {
    }

    /** The component is ready; {@code sinceStart} counts from the call to {@link Suite#start()}. */
    default void componentReady(String component, Duration sinceStart) {
    }

    /**
     * The start failed or was cancelled; everything started so far is about to be stopped, then {@code failure} is
     * thrown.
     */
    default void startFailed(SuiteStartException failure) {
    }

    /** Something a person starting the suite should know, e.g. that a new master key was made. */
    default void notice(String message) {
    }

    /** The component has been stopped. */
    default void componentStopped(String component, Duration took) {
    }
}
