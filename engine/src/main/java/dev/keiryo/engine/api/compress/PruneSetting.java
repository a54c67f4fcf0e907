package dev.keiryo.engine.api.compress;

import dev.keiryo.engine.api.KeiryoException;

/**
 * One pruning setting to preview: connection pruning as {@code connection} says, or (when that is
 * null) unit pruning of the share {@code unitShare} of every hidden layer's units, ranked by
 * {@code criterion}.
 */
public record PruneSetting(ConnectionPruneSpec connection, double unitShare, UnitCriterion criterion) {
    public PruneSetting {
        if (connection == null) {
            if (criterion == null) {
                throw new KeiryoException(
                        "unit pruning needs a criterion; choose one of L1, L2, MEAN_ACTIVATION or APOZ.");
            }
            if (!(unitShare >= 0 && unitShare < 1)) {
                throw new KeiryoException("the unit pruning fraction for all hidden layers is " + unitShare
                        + " but must be in [0, 1); give the share of units to remove, e.g. 0.5.");
            }
        }
    }

    public static PruneSetting of(ConnectionPruneSpec connection) {
        return new PruneSetting(connection, 0, null);
    }

    /** Removes the share {@code share} of the units of every hidden layer. */
    public static PruneSetting units(double share, UnitCriterion criterion) {
        return new PruneSetting(null, share, criterion);
    }

    public boolean isUnit() {
        return connection == null;
    }
}
