package dev.keiryo.engine.compress.pack;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keiryo.engine.model.KeiryoModel;
import dev.keiryo.engine.model.Layers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Writes a model as a {@code .kpack} file (layout: docs/kpack.md). The file is built in
 * memory first, so its report is exact before a byte reaches the disk, and then published
 * atomically.
 */
public final class PackWriter {
    static final ObjectMapper JSON = new ObjectMapper();

    private PackWriter() {}

    /**
     * Writes {@code model} to {@code file}: atomically, and never over an existing file unless
     * {@code opts.replace()}. The model is only read.
     *
     * @return what was written; {@code totalBytes} equals the file's size
     * @throws dev.keiryo.engine.api.KeiryoException if the file exists (without replace) or cannot be written
     */
    public static PackReport write(KeiryoModel model, Path file, PackOptions opts) {
        Packed p = pack(model, opts);
        PackFiles.write(file, p.bytes(), opts.replace());
        return p.report();
    }

    /** The report {@link #write} would return, without writing anything: the model's packed size. */
    public static PackReport measure(KeiryoModel model, PackOptions opts) {
        return pack(model, opts).report();
    }

    record Packed(byte[] bytes, PackReport report) {}

    static Packed pack(KeiryoModel model, PackOptions opts) {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(opts, "opts");
        ComputationGraph net = model.net();
        ComputationGraphConfiguration conf = net.getConfiguration();
        boolean strip = !opts.keepConstraints() && Constraints.present(conf);
        if (strip) {
            conf = Constraints.stripped(conf);
        }
        byte[] config = TextBlocks.deflate(conf.toJson().getBytes(StandardCharsets.UTF_8));
        byte[] meta = TextBlocks.deflate(model.meta() == null ? new byte[0] : metaJson(model));

        List<EncodedTensor> tensors = new ArrayList<>();
        List<String> layers = Layers.names(net);
        for (int i = 0; i < layers.size(); i++) {
            for (Map.Entry<String, INDArray> e :
                    net.getLayer(layers.get(i)).paramTable().entrySet()) {
                List<TensorCodec> forced = opts.policy() == null
                        ? List.of()
                        : opts.policy()
                                .candidatesFor(i, e.getKey(), e.getValue().shape(), floats(e.getValue()));
                String name = layers.get(i) + "_" + e.getKey();
                tensors.add(
                        !forced.isEmpty()
                                ? EncodedTensor.of(i, name, e.getValue(), forced, false)
                                : EncodedTensor.of(i, name, e.getValue(), opts.encoding()));
            }
        }
        byte[] table = table(tensors);

        int flags = PackFormat.FLAG_TEXT_DEFLATED
                | PackFormat.FLAG_GRAPH
                | (strip ? PackFormat.FLAG_CONSTRAINTS_STRIPPED : 0);
        long length = (long) PackFormat.PREAMBLE_BYTES
                + config.length
                + meta.length
                + table.length
                + PackFormat.CHECKSUM_BYTES;
        LittleEndianOut out = new LittleEndianOut((int) Math.min(length, Integer.MAX_VALUE - 8));
        out.bytes(PackFormat.MAGIC)
                .u16(PackFormat.VERSION)
                .u16(flags)
                .u64(config.length)
                .u64(meta.length)
                .u64(table.length);
        out.i32(out.crc32());
        out.bytes(config).bytes(meta).bytes(table);
        out.i32(out.crc32());
        byte[] file = out.toByteArray();

        List<TensorRow> rows = tensors.stream().map(EncodedTensor::row).toList();
        long payloads = rows.stream().mapToLong(TensorRow::payloadBytes).sum();
        long dense = rows.stream().mapToLong(r -> 4 * r.elements()).sum();
        PackReport report =
                new PackReport(file.length, file.length - payloads + dense, config.length, meta.length, rows);
        return new Packed(file, report);
    }

    private static float[] floats(INDArray p) {
        return org.nd4j.linalg.factory.Nd4j.toFlattened('c', p)
                .castTo(org.nd4j.linalg.api.buffer.DataType.FLOAT)
                .toFloatVector();
    }

    private static byte[] table(List<EncodedTensor> tensors) {
        long size = 4 + tensors.stream().mapToLong(t -> t.row().bytes()).sum();
        LittleEndianOut out = new LittleEndianOut((int) Math.min(size, Integer.MAX_VALUE - 16));
        out.u32(tensors.size());
        for (EncodedTensor t : tensors) {
            byte[] key = t.key().getBytes(StandardCharsets.UTF_8);
            out.u16(t.layer())
                    .u16(key.length)
                    .bytes(key)
                    .u8(PackFormat.dtypeCode(t.dataType()))
                    .u8(t.shape().length);
            for (long d : t.shape()) {
                out.u64(d);
            }
            out.u16(t.codec().tag()).u64(t.payload().length).bytes(t.payload());
        }
        return out.toByteArray();
    }

    private static byte[] metaJson(KeiryoModel model) {
        try {
            return JSON.writeValueAsBytes(model.meta());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("model metadata cannot be written as JSON", e);
        }
    }
}
