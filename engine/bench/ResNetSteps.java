import dev.keiryo.engine.backend.NativeSetup;
import dev.keiryo.engine.model.Architecture;
import dev.keiryo.engine.model.ArchitecturePreset;
import dev.keiryo.engine.model.InputShape;
import dev.keiryo.engine.model.ModelFactory;
import dev.keiryo.engine.train.TrainSettings;
import dev.keiryo.engine.train.TrainingStep;
import java.util.Locale;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Training steps of ResNet-20 (Adam, batch 128, random 3x32x32 images) as Keiryo trains it, each
 * step timed; for a profiler or oneDNN's verbose log (engine/bench/onednn_breakdown.py) to read.
 *
 * <p>Run: {@code java -XX:+UseSerialGC -cp "engine/target/keiryo-engine.jar:engine/target/lib/*"
 * engine/bench/ResNetSteps.java [steps]}
 */
public class ResNetSteps {
    public static void main(String[] args) {
        NativeSetup.initialize();
        int steps = args.length > 0 ? Integer.parseInt(args[0]) : 8;
        int batch = 128;
        ComputationGraph net = ModelFactory.build(
                Architecture.of(ArchitecturePreset.RESNET20), new InputShape(3, 32, 32), 10, TrainSettings.defaults());
        Nd4j.getRandom().setSeed(1);
        INDArray y = Nd4j.zeros(DataType.FLOAT, batch, 10);
        for (int r = 0; r < batch; r++) {
            y.putScalar(r, r % 10, 1f);
        }
        DataSet ds = new DataSet(Nd4j.rand(DataType.FLOAT, batch, 3, 32, 32), y);
        TrainingStep step = TrainingStep.of(net);
        for (int i = 0; i < steps; i++) {
            long t = System.nanoTime();
            step.fit(ds);
            System.err.printf(Locale.ROOT, "step %d: %.1f ms%n", i + 1, (System.nanoTime() - t) / 1e6);
        }
    }
}
