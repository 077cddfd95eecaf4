package io.keyfleet.cli;

/** What {@code ./keyfleet status} and the start-up table show for a component. */
public enum Health {
    /** Running and ready: {@code /q/health/ready} answers 200, or the server accepts connections. */
    UP,
    /** The process runs but is not ready, or does not answer. */
    DOWN,
    /** No process. */
    NOT_RUNNING;

    /** {@code UP}, {@code DOWN}, {@code not running}. */
    public String label() {
        return this == NOT_RUNNING ? "not running" : name();
    }
}
