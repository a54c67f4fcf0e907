package dev.keiryo.engine.api.run;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * The content of a run's status.json. Only {@link RunState#COMPLETED} means the run's outputs are
 * whole; every other state means they may be partial.
 *
 * @param startedAt ISO-8601 instant the run last started or resumed
 * @param endedAt ISO-8601 instant it ended, or null while running
 * @param message why it failed or was cancelled, or null
 * @param pid process that last wrote the status, to tell a live run from an abandoned one
 * @param summary free-form results recorded when the run completed, or null
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record RunStatus(RunState state, String startedAt, String endedAt, String message, Long pid, JsonNode summary) {}
