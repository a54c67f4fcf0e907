package dev.keiryo.engine.onnx.export;

import dev.keiryo.engine.api.KeiryoException;
import dev.keiryo.engine.api.model.ExportRequest;
import dev.keiryo.engine.api.model.ExportResult;
import dev.keiryo.engine.data.DataRequest;
import dev.keiryo.engine.data.DataSources;
import dev.keiryo.engine.data.Dataset;
import dev.keiryo.engine.data.LabelColumn;
import dev.keiryo.engine.io.AtomicWrite;
import dev.keiryo.engine.job.ModelFiles;
import dev.keiryo.engine.model.KeiryoModel;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import onnx.Onnx.ModelProto;
import onnx.Onnx.NodeProto;

/** {@code keiryo export}: a model zip or {@code .kpack} to an ONNX file, float32 or int8. */
public final class OnnxExport {
    private OnnxExport() {}

    /**
     * Writes the ONNX file {@code r} asks for, whole or not at all.
     *
     * @throws KeiryoException when the output exists, the model cannot be read or exported, or the
     *     calibration data does not fit the model
     */
    public static ExportResult export(ExportRequest r) {
        refuseExisting(r.out());
        if (r.int8() && r.calibration() < 1) {
            throw new KeiryoException("--calibration must be at least 1 training example (was " + r.calibration()
                    + "); the default is " + ExportRequest.DEFAULT_CALIBRATION + ".");
        }
        KeiryoModel model = ModelFiles.load(r.model());
        OnnxNetwork net = OnnxNetwork.of(model, r.model().getFileName().toString());
        int examples = 0;
        ModelProto proto;
        if (r.int8()) {
            Dataset train = trainingSet(r, net);
            examples = Math.min(r.calibration(), train.size());
            proto = net.int8Model(Calibration.ranges(net, train, r.calibration()));
        } else {
            proto = net.floatModel(java.util.List.of());
        }
        byte[] bytes = proto.toByteArray();
        try {
            AtomicWrite.write(r.out(), bytes, false);
        } catch (FileAlreadyExistsException e) {
            throw existing(r.out());
        } catch (IOException e) {
            throw new KeiryoException(
                    "cannot write " + r.out() + " (" + e.getMessage()
                            + "); check that its folder is writable and has space.",
                    e);
        }
        return new ExportResult(r.out(), r.int8() ? "int8" : "float32", bytes.length, operators(proto), examples);
    }

    /** ONNX operators of a model and how many of each. */
    public static Map<String, Integer> operators(ModelProto proto) {
        Map<String, Integer> ops = new TreeMap<>();
        for (NodeProto n : proto.getGraph().getNodeList()) {
            ops.merge(n.getOpType(), 1, Integer::sum);
        }
        return ops;
    }

    private static Dataset trainingSet(ExportRequest r, OnnxNetwork net) {
        Dataset train = DataSources.load(new DataRequest(
                        r.source() == null ? "sample" : r.source(),
                        r.data(),
                        null,
                        LabelColumn.LAST,
                        DataRequest.DEFAULT_TEST_FRACTION,
                        DataRequest.DEFAULT_SEED))
                .train();
        if (train.featureCount() != net.meta().input().size()) {
            throw new KeiryoException("the calibration data '" + train.name() + "' has " + train.featureCount()
                    + " features per example but the model expects "
                    + net.meta().input().size()
                    + "; give the data it was trained on with --source and --data.");
        }
        return train;
    }

    private static void refuseExisting(Path out) {
        if (Files.exists(out)) {
            throw existing(out);
        }
    }

    private static KeiryoException existing(Path out) {
        return new KeiryoException(
                "--out " + out + " already exists; choose a new file name (export never" + " overwrites a file).");
    }
}
