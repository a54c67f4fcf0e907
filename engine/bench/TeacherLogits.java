import dev.keiryo.engine.backend.NativeSetup;
import dev.keiryo.engine.compress.distill.TeacherOutputs;
import dev.keiryo.engine.data.DataSources;
import dev.keiryo.engine.data.Dataset;
import dev.keiryo.engine.data.Splits;
import dev.keiryo.engine.model.KeiryoModel;
import dev.keiryo.engine.model.ModelIO;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * Inputs for the PyTorch distillation peer (kd_torch.py): a Keiryo teacher's logits on all 60,000
 * Fashion-MNIST training images in file order (float32 little-endian, 60,000 x 10), computed exactly
 * as a distill step caches them, and the indices Keiryo holds out for validation with a given seed.
 *
 * <pre>
 * java -cp 'engine/target/keiryo-engine.jar:engine/target/lib/*' engine/bench/TeacherLogits.java \
 *     /work/models/teacher-fashion.zip teacher-train-logits.f32 [val-indices.txt SEED FRACTION]
 * </pre>
 */
public class TeacherLogits {
    public static void main(String[] args) throws Exception {
        NativeSetup.initialize();
        KeiryoModel teacher = ModelIO.load(Path.of(args[0]));
        Dataset train = DataSources.load("fashion-mnist", null).train();
        float[] logits = TeacherOutputs.cacheLogits(teacher.net(), train, teacher.meta().normalization(),
                teacher.meta().imageShaped(), 512);
        ByteBuffer out = ByteBuffer.allocate(logits.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        out.asFloatBuffer().put(logits);
        Files.write(Path.of(args[1]), out.array());
        int k = train.numClasses();
        int agree = 0;
        for (int i = 0; i < train.size(); i++) {
            int best = 0;
            for (int j = 1; j < k; j++) {
                best = logits[i * k + j] > logits[i * k + best] ? j : best;
            }
            agree += best == train.label(i) ? 1 : 0;
        }
        System.out.printf("%s: %d x %d logits; the teacher's training accuracy is %.4f%n", args[1], train.size(), k,
                agree / (double) train.size());
        if (args.length >= 4) {
            int[] val = Splits.indices(train, Double.parseDouble(args.length > 4 ? args[4] : "0.1"), Long.parseLong(args[3]))
                    .validation();
            Files.writeString(Path.of(args[2]), Arrays.stream(val).mapToObj(Integer::toString).collect(Collectors.joining("\n", "", "\n")));
            System.out.printf("%s: %d validation indices (seed %s)%n", args[2], val.length, args[3]);
        }
    }
}
