package dev.keiryo.engine.onnx.ort;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtLoggingLevel;
import ai.onnxruntime.OrtSession;
import dev.keiryo.engine.api.KeiryoException;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An ONNX model in an ONNX Runtime session on the CPU: float batches in, float outputs back. The
 * session optimizes the graph fully (that is when int8 QDQ groups become int8 kernels) and can save
 * the optimized graph to show which kernels run.
 */
public final class OrtModel implements AutoCloseable {
    private final OrtEnvironment env;
    private final OrtSession session;
    private final String inputName;

    /**
     * How a session runs.
     *
     * @param threads intra-op threads; 0 for ONNX Runtime's default (one per core)
     * @param optimizedModel where to save the optimized graph; null for nowhere
     * @param profile path prefix of a per-node timing trace (ONNX Runtime adds a time stamp and
     *     {@code .json}); null for none
     */
    public record Options(int threads, Path optimizedModel, Path profile) {
        public static final Options DEFAULT = new Options(0, null, null);

        public Options(int threads, Path optimizedModel) {
            this(threads, optimizedModel, null);
        }
    }

    private OrtModel(OrtEnvironment env, OrtSession session) throws OrtException {
        this.env = env;
        this.session = session;
        this.inputName = session.getInputNames().iterator().next();
    }

    /** Opens a model file; {@code source} names it in error sentences. */
    public static OrtModel open(Path file, Options options) {
        return open(env -> env.createSession(file.toString(), sessionOptions(options)), file.toString());
    }

    /** Opens a model held in memory. */
    public static OrtModel open(byte[] model, Options options, String source) {
        return open(env -> env.createSession(model, sessionOptions(options)), source);
    }

    private interface Opener {
        OrtSession open(OrtEnvironment env) throws OrtException;
    }

    private static OrtModel open(Opener opener, String source) {
        OrtEnvironment env = OrtEnvironment.getEnvironment(OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR, "keiryo");
        try {
            return new OrtModel(env, opener.open(env));
        } catch (OrtException e) {
            throw new KeiryoException(
                    "ONNX Runtime cannot open " + source + " (" + e.getMessage()
                            + "); give an ONNX model file, such as one written by 'keiryo export'.",
                    e);
        }
    }

    private static OrtSession.SessionOptions sessionOptions(Options o) throws OrtException {
        OrtSession.SessionOptions s = new OrtSession.SessionOptions();
        s.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
        if (o.threads() > 0) {
            s.setIntraOpNumThreads(o.threads());
        }
        if (o.optimizedModel() != null) {
            s.setOptimizedModelFilePath(o.optimizedModel().toString());
        }
        if (o.profile() != null) {
            s.enableProfiling(o.profile().toString());
        }
        return s;
    }

    /** The model's metadata properties (ONNX {@code metadata_props}). */
    public Map<String, String> metadata() {
        try {
            return session.getMetadata().getCustomMetadata();
        } catch (OrtException e) {
            throw new KeiryoException("ONNX Runtime cannot read the model's metadata (" + e.getMessage() + ").", e);
        }
    }

    public List<String> outputNames() {
        return new ArrayList<>(session.getOutputNames());
    }

    /** The first output for a batch of {@code shape[0]} examples laid end to end in {@code values}. */
    public float[] run(float[] values, long[] shape) {
        return runAll(values, shape).values().iterator().next();
    }

    /** Every output, by name, for one batch. */
    public Map<String, float[]> runAll(float[] values, long[] shape) {
        try (OnnxTensor x = OnnxTensor.createTensor(env, FloatBuffer.wrap(values), shape);
                OrtSession.Result r = session.run(Map.of(inputName, x))) {
            Map<String, float[]> out = new LinkedHashMap<>();
            for (Map.Entry<String, OnnxValue> e : r) {
                FloatBuffer b = ((OnnxTensor) e.getValue()).getFloatBuffer();
                float[] a = new float[b.remaining()];
                b.get(a);
                out.put(e.getKey(), a);
            }
            return out;
        } catch (OrtException e) {
            throw new KeiryoException(
                    "ONNX Runtime failed to run the model on a batch of shape " + java.util.Arrays.toString(shape)
                            + " (" + e.getMessage() + ").",
                    e);
        }
    }

    /**
     * Stops the trace of a session opened with {@link Options#profile()} and returns its file, a
     * Chrome trace that {@link OrtProfile#read} sums.
     */
    public Path endProfiling() {
        try {
            return Path.of(session.endProfiling());
        } catch (OrtException e) {
            throw new KeiryoException("ONNX Runtime failed to write its profile (" + e.getMessage() + ").", e);
        }
    }

    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException e) {
            throw new KeiryoException("ONNX Runtime failed to close a session (" + e.getMessage() + ").", e);
        }
    }
}
