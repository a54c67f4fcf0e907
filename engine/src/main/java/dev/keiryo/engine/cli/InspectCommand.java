package dev.keiryo.engine.cli;

import dev.keiryo.engine.api.engine.Engine;
import dev.keiryo.engine.api.model.LayerStats;
import dev.keiryo.engine.api.model.ModelDescription;
import dev.keiryo.engine.api.model.ModelStats;
import dev.keiryo.engine.api.model.Vertex;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "inspect", description = "Show a saved model's layers: shapes, parameters, non-zeros, FLOPs and bytes.")
final class InspectCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "MODEL", description = "A model file (runs/<run>/models/model.zip).")
    Path modelFile;

    @Option(names = "--json")
    boolean json;

    @Override
    public Integer call() {
        ModelDescription model = Engine.local().describeModel(modelFile);
        ModelStats stats = model.stats();
        long fileBytes = model.fileBytes();
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("file", modelFile.toString());
            m.put("fileBytes", fileBytes);
            m.put("meta", model.meta());
            m.put("stats", stats);
            m.put("vertices", model.vertices());
            out.println(Json.line(m));
            return ExitCode.OK;
        }
        out.printf(
                "%s  (%,d bytes on disk; %s)%n",
                modelFile,
                fileBytes,
                model.packed()
                        ? "Keiryo packed file: its size is the model size"
                        : "DL4J training zip, DEFLATE-compressed: not a model size");
        ModelDescription.Meta meta = model.meta();
        if (meta != null) {
            out.printf(
                    "preset %s, input %dx%dx%d, %d classes, normalisation %s%n",
                    meta.preset(),
                    meta.input().channels(),
                    meta.input().height(),
                    meta.input().width(),
                    meta.numClasses(),
                    meta.normalization().kind());
        }
        // Graph vertex names (s1b1.conv1.relu) are longer than a chain's (conv1): the column fits them.
        int name = Math.max(
                10,
                stats.layers().stream().mapToInt(l -> l.name().length()).max().orElse(0));
        out.printf(
                "%-3s %-" + name + "s %-20s %-12s %12s %12s %14s %12s%n",
                "#",
                "name",
                "type",
                "output",
                "params",
                "non-zeros",
                "FLOPs/sample",
                "fp32 bytes");
        for (LayerStats l : stats.layers()) {
            out.printf(
                    Locale.ROOT,
                    "%-3d %-" + name + "s %-20s %-12s %,12d %,12d %,14d %,12d%n",
                    l.index(),
                    l.name(),
                    l.type(),
                    l.outputShape(),
                    l.parameters(),
                    l.nonZeros(),
                    l.flopsPerSample(),
                    l.float32Bytes());
        }
        out.printf(
                Locale.ROOT,
                "%-" + (37 + name) + "s %,12d %,12d %,14d %,12d%n",
                "total",
                stats.parameters(),
                stats.nonZeros(),
                stats.flopsPerSample(),
                stats.float32Bytes());
        out.printf(Locale.ROOT, "sparsity %.2f%%%n", 100 * stats.sparsity());
        if (!model.chain()) {
            joins(out, model);
        }
        return ExitCode.OK;
    }

    /** Where a graph's branches meet: the layer table lists layers, so the sums and merges are named here. */
    private static void joins(PrintWriter out, ModelDescription model) {
        List<Vertex> joins = model.vertices().stream().filter(Vertex::joins).toList();
        out.printf("a graph; branches join at %d vertices:%n", joins.size());
        for (Vertex v : joins) {
            String op = v.type().toLowerCase(Locale.ROOT) + "(" + String.join(", ", v.inputs()) + ")";
            out.printf("  %-16s %-40s %s%n", v.name(), op, v.outputShape());
        }
    }
}
