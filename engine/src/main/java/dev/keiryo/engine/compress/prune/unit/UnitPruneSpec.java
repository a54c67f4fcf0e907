package dev.keiryo.engine.compress.prune.unit;

import dev.keiryo.engine.api.KeiryoException;
import dev.keiryo.engine.api.compress.UnitCriterion;
import dev.keiryo.engine.model.Chains;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/**
 * How many units to remove: a fraction per named layer, and/or one fraction for every prunable
 * hidden layer not named ({@code allHidden}, 0 for none), judged by one criterion. A layer with n
 * units loses {@code round(fraction * n)} of them, and at least one must remain.
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
     * Layer index to fraction for this network, in layer order; named layers override
     * {@code allHidden}. Throws a {@link KeiryoException} naming the layer when the spec does not fit.
     */
    public Map<Integer, Double> resolve(ComputationGraph net) {
        return resolve(Chains.toChain(net.getConfiguration(), "unit pruning"));
    }

    Map<Integer, Double> resolve(MultiLayerNetwork net) {
        return resolve(net.getLayerWiseConfigurations());
    }

    private Map<Integer, Double> resolve(MultiLayerConfiguration conf) {
        Map<Integer, Double> out = new TreeMap<>();
        if (allHidden > 0) {
            for (int i : UnitTopology.prunable(conf)) {
                out.put(i, allHidden);
            }
        }
        for (Map.Entry<String, Double> e : fractions.entrySet()) {
            int i = UnitTopology.requirePrunable(conf, e.getKey());
            out.put(i, e.getValue());
        }
        for (Map.Entry<Integer, Double> e : out.entrySet()) {
            int units = units(conf, e.getKey());
            if (removed(e.getValue(), units) >= units) {
                throw new KeiryoException("removing a fraction of " + e.getValue() + " of the " + units
                        + " units of layer '"
                        + UnitTopology.name(conf, e.getKey()) + "' would remove all of them; use a fraction below "
                        + String.format(Locale.ROOT, "%.4f", (units - 0.5) / units) + " so at least one unit remains.");
            }
        }
        return Collections.unmodifiableMap(out);
    }

    static int units(MultiLayerConfiguration conf, int i) {
        return Math.toIntExact(((FeedForwardLayer) UnitTopology.layer(conf, i)).getNOut());
    }

    static int removed(double fraction, int units) {
        return (int) Math.round(fraction * units);
    }
}
