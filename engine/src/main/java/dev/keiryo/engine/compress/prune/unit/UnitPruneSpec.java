package dev.keiryo.engine.compress.prune.unit;

import dev.keiryo.engine.api.KeiryoException;
import dev.keiryo.engine.api.compress.UnitCriterion;
import dev.keiryo.engine.model.ChannelGroups;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.deeplearning4j.nn.graph.ComputationGraph;

/**
 * How many units to remove: a fraction per named layer, and/or one fraction for every prunable
 * hidden layer not named ({@code allHidden}, 0 for none), judged by one criterion. A layer with n
 * units loses {@code round(fraction * n)} of them, and at least one must remain. In a graph, the
 * fraction applies to a layer's whole channel group: layers whose outputs meet in a residual sum
 * lose the same channels, and naming any one of them names the group.
 *
 * <p>The record checks what it can on its own; {@link #resolve(ComputationGraph)} checks it
 * against a network (names exist, layers are prunable, units remain).
 */
public record UnitPruneSpec(Map<String, Double> fractions, double allHidden, UnitCriterion criterion) {

    public UnitPruneSpec {
        if (criterion == null) {
            throw new KeiryoException(
                    "the unit pruning spec has no criterion; choose one of L1, L2, MEAN_ACTIVATION or APOZ.");
        }
        if (!(allHidden >= 0 && allHidden < 1)) {
            throw new KeiryoException("the unit pruning fraction for all hidden layers is " + allHidden
                    + " but must be in [0, 1); give the share of units to remove, e.g. 0.5.");
        }
        Map<String, Double> copy = new LinkedHashMap<>();
        if (fractions != null) {
            for (Map.Entry<String, Double> e : fractions.entrySet()) {
                if (e.getKey() == null || e.getKey().isBlank()) {
                    throw new KeiryoException("the unit pruning spec has a layer without a name; name each layer as the"
                            + " network does (e.g. conv1, dense1).");
                }
                Double f = e.getValue();
                if (f == null || !(f >= 0 && f < 1)) {
                    throw new KeiryoException("the unit pruning fraction for layer '" + e.getKey() + "' is " + f
                            + " but must be in [0, 1); give the share of units to remove, e.g. 0.5.");
                }
                copy.put(e.getKey(), f);
            }
        }
        fractions = Collections.unmodifiableMap(copy);
    }

    public static UnitPruneSpec perLayer(Map<String, Double> fractions, UnitCriterion criterion) {
        return new UnitPruneSpec(fractions, 0, criterion);
    }

    public static UnitPruneSpec allHidden(double fraction, UnitCriterion criterion) {
        return new UnitPruneSpec(Map.of(), fraction, criterion);
    }

    /**
     * Fraction per prunable group, keyed by the layer index of the group's first producer, in
     * network order; a layer named here stands for its whole group (layers whose outputs meet in a
     * residual sum lose the same channels), and named layers override {@code allHidden}. Throws a
     * {@link KeiryoException} naming the layer when the spec does not fit.
     */
    public Map<Integer, Double> resolve(ComputationGraph net) {
        return resolve(new UnitGroups(net.getConfiguration()));
    }

    Map<Integer, Double> resolve(UnitGroups groups) {
        Map<Integer, Double> out = new TreeMap<>();
        if (allHidden > 0) {
            for (ChannelGroups.Group g : groups.prunable()) {
                out.put(groups.indexOf(UnitGroups.key(g)), allHidden);
            }
        }
        Map<Integer, String> namedBy = new TreeMap<>();
        for (Map.Entry<String, Double> e : fractions.entrySet()) {
            ChannelGroups.Group g = groups.requirePrunable(e.getKey());
            int i = groups.indexOf(UnitGroups.key(g));
            String other = namedBy.put(i, e.getKey());
            if (other != null && !out.get(i).equals(e.getValue())) {
                throw new KeiryoException("layers '" + other + "' and '" + e.getKey() + "' meet in a residual sum, so"
                        + " they lose the same channels, but the unit pruning spec gives them fractions "
                        + out.get(i) + " and " + e.getValue() + "; give one fraction for both.");
            }
            out.put(i, e.getValue());
        }
        for (Map.Entry<Integer, Double> e : out.entrySet()) {
            String key = groups.layerNames().get(e.getKey());
            ChannelGroups.Group g = groups.groupOf(key);
            int units = groups.units(g);
            if (removed(e.getValue(), units) >= units) {
                throw new KeiryoException("removing a fraction of " + e.getValue() + " of the " + units
                        + " units of " + describe(g) + " would remove all of them; use a fraction below "
                        + String.format(Locale.ROOT, "%.4f", (units - 0.5) / units) + " so at least one unit remains.");
            }
        }
        return Collections.unmodifiableMap(out);
    }

    /** "layer 'dense2'", or for a coupled group "the group of layers [stem, s1b1.conv2, ...]". */
    static String describe(ChannelGroups.Group g) {
        return g.producers().size() == 1
                ? "layer '" + UnitGroups.key(g) + "'"
                : "the group of layers " + g.producers() + " (their outputs meet in a residual sum)";
    }

    static int removed(double fraction, int units) {
        return (int) Math.round(fraction * units);
    }
}
