package dev.keiryo.engine.api.run;

import java.nio.file.Path;

/**
 * One run as the run store lists it.
 *
 * @param id the folder name, {@code yyyyMMdd-HHmmss-name[-n]}
 * @param status the recorded status, or null when {@code state} is {@link RunState#INCOMPLETE}
 */
public record RunInfo(Path dir, String id, RunState state, RunStatus status) {

    /** Whether the run finished and its outputs can be trusted as whole. */
    public boolean completed() {
        return state == RunState.COMPLETED;
    }
}
