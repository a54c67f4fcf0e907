package dev.keiryo.engine.api.experiment;

import dev.keiryo.engine.api.settings.Choice;

/** Connection pruning drops single weights; unit pruning drops whole neurons or filters. */
public enum PruneMode implements Choice {
    CONNECTION("connection"),
    UNIT("unit");

    private final String id;

    PruneMode(String id) {
        this.id = id;
    }

    @Override
    public String id() {
        return id;
    }
}
