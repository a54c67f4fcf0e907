package dev.keiryo.engine.api.run;

import dev.keiryo.engine.api.settings.Choice;

/** Where a run is in its life, as recorded in its status.json. */
public enum RunState implements Choice {
    RUNNING("running"),
    COMPLETED("completed"),
    FAILED("failed"),
    CANCELLED("cancelled"),
    /** Marked running, but the process that ran it is gone: killed, or the machine stopped. */
    KILLED("killed"),
    /** No status.json: the run was created but never started, or its folder is not a Keiryo run. */
    INCOMPLETE("incomplete");

    private final String id;

    RunState(String id) {
        this.id = id;
    }

    @Override
    public String id() {
        return id;
    }

    /** Whether the run has ended; a terminal state is never replaced by another terminal state. */
    public boolean terminal() {
        return this == COMPLETED || this == FAILED || this == CANCELLED || this == KILLED;
    }
}
