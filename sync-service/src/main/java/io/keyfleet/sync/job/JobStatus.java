package io.keyfleet.sync.job;

public enum JobStatus {
    QUEUED, RUNNING, SUCCEEDED, PARTIAL, FAILED;

    public boolean active() {
        return this == QUEUED || this == RUNNING;
    }
}
