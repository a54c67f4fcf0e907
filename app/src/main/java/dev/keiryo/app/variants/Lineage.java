package dev.keiryo.app.variants;

import dev.keiryo.engine.api.run.Variant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The variants of a run as a forest by lineage: each variant under its parent, in the order they
 * were made. Variants without a parent (the trained model, students trained from scratch) and
 * variants whose parent is not in the list are roots.
 */
public final class Lineage {
    private final List<Variant> roots = new ArrayList<>();
    private final Map<String, List<Variant>> children = new LinkedHashMap<>();

    public Lineage(List<Variant> variants) {
        Set<String> ids = new HashSet<>();
        variants.forEach(v -> ids.add(v.id()));
        for (Variant v : variants) {
            if (v.parent() != null && ids.contains(v.parent()) && !v.parent().equals(v.id())) {
                children.computeIfAbsent(v.parent(), k -> new ArrayList<>()).add(v);
            } else {
                roots.add(v);
            }
        }
    }

    public List<Variant> roots() {
        return roots;
    }

    public List<Variant> children(Variant v) {
        return children.getOrDefault(v.id(), List.of());
    }
}
