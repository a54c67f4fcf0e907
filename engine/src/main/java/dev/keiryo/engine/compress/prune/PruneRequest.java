package dev.keiryo.engine.compress.prune;

import dev.keiryo.engine.api.compress.ConnectionPruneSpec;
import dev.keiryo.engine.compress.prune.unit.UnitPruneSpec;

/** One pruning setting to preview: exactly one of the two specs is set. */
public record PruneRequest(ConnectionPruneSpec connection, UnitPruneSpec unit) {
    public PruneRequest {
        if ((connection == null) == (unit == null)) {
            throw new IllegalArgumentException("a preview request needs exactly one of a connection or a unit spec");
        }
    }

    public static PruneRequest of(ConnectionPruneSpec c) {
        return new PruneRequest(c, null);
    }

    public static PruneRequest of(UnitPruneSpec u) {
        return new PruneRequest(null, u);
    }
}
