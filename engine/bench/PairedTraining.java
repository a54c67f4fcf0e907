import dev.keiryo.engine.backend.NativeSetup;
import dev.keiryo.engine.data.ArrayDataSetIterator;
import dev.keiryo.engine.data.DataBundle;
import dev.keiryo.engine.data.DataSources;
import dev.keiryo.engine.data.Normalization;
import dev.keiryo.engine.model.InputShape;
import dev.keiryo.engine.model.ModelFactory;
import dev.keiryo.engine.model.ModelSpec;
import dev.keiryo.engine.model.Preset;
import dev.keiryo.engine.train.FusedAdam;
import dev.keiryo.engine.train.Optimizer;
import dev.keiryo.engine.train.TrainSettings;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.updater.BaseMultiLayerUpdater;
import org.deeplearning4j.nn.updater.UpdaterBlock;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.GradientUpdater;

/**
 * Paired training measurements of one change to training at a time: one JVM, one
 * network, the full Fashion-MNIST; after a warm-up it alternates blocks of minibatches between two
 * settings, so the shared VM's drift hits both alike, and prints the median samples/s of each.
 *
 * <pre>
 * java -cp 'engine/target/keiryo-engine.jar:engine/target/lib/*' engine/bench/PairedTraining.java \
 *     adam|threads|blas lenet300|lenet5|teacher [rounds=8]
 * </pre>
 * {@code adam}: ND4J's adam_updater op vs {@link FusedAdam}. {@code threads}: ND4J's own ops on all
 * cores vs on one (the master-thread count; matrix products and oneDNN keep every core).
 * {@code blas}: OpenBLAS on all cores vs on one, with ND4J's own ops on one thread as in training. The
 * warm-up (1,200 / 150 / 20 minibatches) gets past most of DL4J's JIT climb.
 */
public final class PairedTraining {
    public static void main(String[] args) {
        if (args.length < 2 || !List.of("adam", "threads", "blas").contains(args[0])) {
            System.err.println("usage: PairedTraining.java adam|threads|blas lenet300|lenet5|teacher [rounds=8]");
            System.exit(2);
        }
        NativeSetup.initialize();
        String what = args[0];
        Preset preset = Preset.valueOf(args[1].toUpperCase());
        int rounds = args.length > 2 ? Integer.parseInt(args[2].replace("rounds=", "")) : 8;
        boolean image = preset != Preset.LENET300;
        DataBundle data = DataSources.load("fashion-mnist", null);
        TrainSettings s = new TrainSettings(Optimizer.ADAM, 1e-3, 128, 1, DataType.FLOAT, 0, 0, 0, 1);
        MultiLayerNetwork net = ModelFactory.build(ModelSpec.of(preset), new InputShape(1, 28, 28), 10, s);
        ArrayDataSetIterator it = ArrayDataSetIterator.builder(data.train())
                .normalization(Normalization.fit(Normalization.Kind.SCALE, data.train())).batchSize(128).imageShaped(image).build();

        List<UpdaterBlock> blocks = ((BaseMultiLayerUpdater<?>) net.getUpdater(true)).getUpdaterBlocks();
        blocks.forEach(UpdaterBlock::init);
        List<GradientUpdater> op = new ArrayList<>();
        blocks.forEach(b -> op.add(b.getGradientUpdater()));
        FusedAdam.install(net);
        List<GradientUpdater> fused = new ArrayList<>();
        blocks.forEach(b -> fused.add(b.getGradientUpdater()));
        int cores = Nd4j.getEnvironment().maxMasterThreads();
        org.nd4j.linalg.api.blas.Blas blas = Nd4j.factory().blas();
        int blasThreads = blas.getMaxThreads();
        if (what.equals("blas")) {
            Nd4j.getEnvironment().setMaxMasterThreads(1);
        }

        int block = preset == Preset.TEACHER ? 8 : image ? 40 : 150;
        int warmup = preset == Preset.TEACHER ? 20 : image ? 150 : 1200;
        train(net, it, warmup);
        double[][] sps = new double[2][rounds];
        for (int r = 0; r < rounds; r++) {
            for (int arm = 0; arm < 2; arm++) {
                if (what.equals("adam")) {
                    for (int k = 0; k < blocks.size(); k++) {
                        blocks.get(k).setGradientUpdater((arm == 0 ? op : fused).get(k));
                    }
                } else if (what.equals("threads")) {
                    Nd4j.getEnvironment().setMaxMasterThreads(arm == 0 ? cores : 1);
                } else {
                    blas.setMaxThreads(arm == 0 ? blasThreads : 1);
                }
                long t = System.nanoTime();
                train(net, it, block);
                sps[arm][r] = block * 128 / ((System.nanoTime() - t) / 1e9);
            }
        }
        String[] names = what.equals("adam") ? new String[] {"adam_updater op", "FusedAdam"}
                : what.equals("threads") ? new String[] {cores + " op threads", "1 op thread"}
                : new String[] {blasThreads + " BLAS threads", "1 BLAS thread"};
        for (int arm = 0; arm < 2; arm++) {
            double[] sorted = sps[arm].clone();
            Arrays.sort(sorted);
            double median = rounds % 2 == 1 ? sorted[rounds / 2] : (sorted[rounds / 2 - 1] + sorted[rounds / 2]) / 2;
            System.out.printf("%s %s: median %.0f samples/s, blocks %s%n", preset.name().toLowerCase(), names[arm], median,
                    Arrays.toString(Arrays.stream(sps[arm]).map(Math::round).toArray()));
        }
    }

    private static void train(MultiLayerNetwork net, ArrayDataSetIterator it, int minibatches) {
        for (int i = 0; i < minibatches; i++) {
            if (!it.hasNext()) {
                it.reset();
            }
            net.fit(it.next());
        }
    }
}
