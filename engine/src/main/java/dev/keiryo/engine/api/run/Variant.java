package dev.keiryo.engine.api.run;

import java.util.Map;

/**
 * A model plus where it came from plus what it measured. Every compression step takes a variant and
 * makes a new one; nothing is changed in place, so the lineage (parent + step + parameters) always
 * explains how a model was obtained and the trade-off chart can compare any two of them.
 *
 * @param id short id unique within a run, e.g. {@code v3}
 * @param parent the id of the variant this one was made from, or null for a root
 * @param step what made it: {@code train}, {@code load}, {@code prune-connection}, {@code prune-unit},
 *     {@code fine-tune}, ...
 * @param params the step's settings, as the user gave them
 * @param modelFile the packed model file, relative to the run folder
 */
public record Variant(
        String id,
        String parent,
        String step,
        Map<String, Object> params,
        VariantMetrics metrics,
        String modelFile,
        String createdAt) {

    public Variant {
        params = params == null ? Map.of() : Map.copyOf(params);
    }
}
