package dev.keiryo.engine.model;

import dev.keiryo.engine.api.KeiryoException;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.bytedeco.javacpp.indexer.Bfloat16Indexer;
import org.bytedeco.javacpp.indexer.HalfIndexer;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Restores the network of a DL4J model zip without DL4J's {@code ModelSerializer}, which runs Java
 * deserialization ({@code ObjectInputStream}) on a {@code preprocessor.bin} entry: a model file must
 * never run code. Only {@code configuration.json}, {@code coefficients.bin} and
 * {@code updaterState.bin} are read, nothing is unpacked to disk, and every array's declared length is
 * checked against the bytes that are really there before anything is allocated for it.
 */
final class ModelZipReader {
    static final String CONFIG = "configuration.json";
    static final String COEFFICIENTS = "coefficients.bin";
    static final String UPDATER = "updaterState.bin";
    /** Far above any configuration Keiryo writes (a ResNet's is ~100 KB), far below the heap. */
    static final int MAX_TEXT_BYTES = 16 << 20;
    /** ND4J's shape information: rank, 2 x rank shape and strides, 3 more; rank is at most 32. */
    private static final int MAX_SHAPE_INFO = 2 * 32 + 4;

    private static final java.util.Set<String> OLD_MODES = java.util.Set.of("HEAP", "JAVACPP", "DIRECT");

    private ModelZipReader() {}

    static String text(ZipFile zip, ZipEntry e, Path file) throws IOException {
        return new String(bytes(zip, e, MAX_TEXT_BYTES, file), StandardCharsets.UTF_8);
    }

    /** The entry's bytes; a file that holds more than {@code max} is refused rather than read. */
    static byte[] bytes(ZipFile zip, ZipEntry e, long max, Path file) throws IOException {
        try (InputStream in = zip.getInputStream(e)) {
            byte[] b = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 16, max + 1));
            if (b.length > max) {
                throw damaged(file, "entry " + e.getName() + " holds more than " + max + " bytes");
            }
            return b;
        }
    }

    /** The network; {@code graph} says which of DL4J's two configuration kinds the file holds. */
    static KeiryoModel restore(ZipFile zip, Path file, String configJson, boolean graph, ModelMeta meta)
            throws IOException {
        ComputationGraphConfiguration cg = graph ? ComputationGraphConfiguration.fromJson(configJson) : null;
        MultiLayerConfiguration ml = graph ? null : MultiLayerConfiguration.fromJson(configJson);
        long declared = graph ? numParams(cg) : numParams(ml);
        INDArray params = array(zip, COEFFICIENTS, declared, file);
        if (params == null) {
            throw damaged(file, "it has no " + COEFFICIENTS);
        }
        if (params.length() != declared) {
            throw damaged(
                    file,
                    "its configuration declares " + declared + " parameters but " + COEFFICIENTS + " holds "
                            + params.length());
        }
        ZipEntry u = zip.getEntry(UPDATER);
        // Adam keeps two values per parameter; no updater DL4J has keeps more than a few.
        INDArray state = u == null ? null : array(zip, UPDATER, 8 * Math.max(1, declared), file);
        if (graph) {
            cg.setDataType(params.dataType());
            ComputationGraph net = new ComputationGraph(cg);
            net.init(params, false);
            if (state != null) {
                checkUpdater(state, net.getUpdater().getStateViewArray(), file);
                net.getUpdater().setStateViewArray(state);
            }
            return new KeiryoModel(net, meta);
        }
        ml.setDataType(params.dataType());
        MultiLayerNetwork net = new MultiLayerNetwork(ml);
        net.init(params, false);
        if (state != null) {
            checkUpdater(state, net.getUpdater().getStateViewArray(), file);
            net.getUpdater().setStateViewArray(net, state, false);
        }
        return KeiryoModel.of(net, meta);
    }

    private static void checkUpdater(INDArray state, INDArray expected, Path file) {
        long want = expected == null ? 0 : expected.length();
        if (state.length() != want) {
            throw damaged(file, UPDATER + " holds " + state.length() + " values but its updater needs " + want);
        }
    }

    private static long numParams(ComputationGraphConfiguration conf) {
        long n = 0;
        for (GraphVertex v : conf.getVertices().values()) {
            n += v.numParams(true);
        }
        return n;
    }

    private static long numParams(MultiLayerConfiguration conf) {
        long n = 0;
        for (NeuralNetConfiguration c : conf.getConfs()) {
            n += c.getLayer().initializer().numParams(c);
        }
        return n;
    }

    /**
     * One array as ND4J writes it (shape information, then the values, each with a header of
     * allocation mode, length and data type), read as a row vector. Its length may not exceed
     * {@code maxLength} nor the bytes present; its shape information is skipped, because a damaged
     * one would make ND4J read outside the array.
     */
    private static INDArray array(ZipFile zip, String name, long maxLength, Path file) throws IOException {
        ZipEntry e = zip.getEntry(name);
        if (e == null) {
            return null;
        }
        // The shape header and information take at most ~600 bytes; the values at most 8 bytes each.
        byte[] b = bytes(zip, e, 1024 + 8 * maxLength, file);
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(b))) {
            Header shape = header(in, name, file);
            if (shape.length < 0 || shape.length > MAX_SHAPE_INFO) {
                throw damaged(file, name + " declares " + shape.length + " values of shape information");
            }
            in.skipNBytes(shape.length * shape.type.width());
            Header data = header(in, name, file);
            int width = data.type.width();
            if (data.length < 0 || data.length > maxLength || data.length * width > in.available()) {
                throw damaged(
                        file,
                        name + " declares " + data.length + " values but holds " + in.available() / width
                                + (data.length > maxLength ? " (its network has " + maxLength + ")" : ""));
            }
            int n = (int) data.length;
            if (data.type == DataType.FLOAT) {
                float[] v = new float[n];
                for (int i = 0; i < n; i++) {
                    v[i] = in.readFloat();
                }
                return Nd4j.create(v, new long[] {1, n}, 'c');
            }
            if (data.type == DataType.DOUBLE) {
                double[] v = new double[n];
                for (int i = 0; i < n; i++) {
                    v[i] = in.readDouble();
                }
                return Nd4j.create(v, new long[] {1, n}, 'c');
            }
            if (width == 2 && data.type.isFPType()) {
                // Stored as ND4J's 16-bit patterns; widened through float, which holds both exactly.
                float[] v = new float[n];
                for (int i = 0; i < n; i++) {
                    int bits = in.readUnsignedShort();
                    v[i] = data.type == DataType.BFLOAT16 ? Bfloat16Indexer.toFloat(bits) : HalfIndexer.toFloat(bits);
                }
                return Nd4j.create(v, new long[] {1, n}, 'c').castTo(data.type);
            }
            throw damaged(file, name + " holds values of type " + data.type + ", which no model stores");
        } catch (java.io.EOFException ex) {
            throw damaged(file, name + " is cut short");
        }
    }

    private record Header(long length, DataType type) {}

    private static Header header(DataInputStream in, String name, Path file) throws IOException {
        try {
            String mode = in.readUTF();
            DataBuffer.AllocationMode.valueOf(mode);
            // ND4J wrote lengths as int in its first three allocation modes, as long since.
            long length = OLD_MODES.contains(mode) ? in.readInt() : in.readLong();
            DataType type = DataType.valueOf(in.readUTF());
            if (type.width() <= 0) {
                throw new IllegalArgumentException("no width");
            }
            return new Header(length, type);
        } catch (IllegalArgumentException | java.io.UTFDataFormatException ex) {
            throw damaged(file, name + " has an array header ND4J did not write");
        }
    }

    static KeiryoException damaged(Path file, String detail) {
        return new KeiryoException(
                "model file " + file + " is damaged: " + detail + "; save the model again or use an earlier copy.");
    }
}
