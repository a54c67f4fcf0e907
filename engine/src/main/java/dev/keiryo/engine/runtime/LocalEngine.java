package dev.keiryo.engine.runtime;

import dev.keiryo.engine.api.engine.DataPreview;
import dev.keiryo.engine.api.engine.Engine;
import dev.keiryo.engine.api.engine.ModelInspection;
import dev.keiryo.engine.api.engine.RunRecord;
import dev.keiryo.engine.api.experiment.DataSpec;
import dev.keiryo.engine.api.experiment.ModelSpec;
import dev.keiryo.engine.backend.NativeSetup;
import dev.keiryo.engine.data.DataBundle;
import dev.keiryo.engine.data.DataRequest;
import dev.keiryo.engine.data.DataSources;
import dev.keiryo.engine.data.Dataset;
import dev.keiryo.engine.experiment.Run;
import dev.keiryo.engine.experiment.RunStore;
import dev.keiryo.engine.job.ModelFiles;
import dev.keiryo.engine.model.Architecture;
import dev.keiryo.engine.model.InputShape;
import dev.keiryo.engine.model.ModelFactory;
import dev.keiryo.engine.model.NetworkInspection;
import dev.keiryo.engine.train.TrainSettings;
import dev.keiryo.engine.variant.VariantStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/** The engine on this computer's own devices; registered for {@link Engine#local()}. */
public final class LocalEngine implements Engine {

    @Override
    public void prepare() {
        NativeSetup.initialize();
    }

    @Override
    public RunRecord openRun(Path runDir) {
        Path dir = runDir.toAbsolutePath();
        Run run = new RunStore(dir.getParent()).open(dir);
        return new RunRecord(dir, run.experiment(), VariantStore.read(run));
    }

    @Override
    public ModelInspection inspectPreset(ModelSpec model, int channels, int height, int width, int classes) {
        Architecture architecture = Architecture.of(model);
        InputShape in = new InputShape(channels, height, width);
        MultiLayerNetwork net = ModelFactory.build(architecture, in, classes, TrainSettings.defaults());
        return new NetworkInspection(net, in.toInputType(architecture.preset().convolutional()));
    }

    @Override
    public ModelInspection inspectFile(Path file) {
        return NetworkInspection.of(ModelFiles.load(file));
    }

    @Override
    public DataPreview previewData(DataSpec data, long seed, int examples) {
        DataRequest request = DataRequest.of(data, seed);
        DataBundle bundle = DataSources.load(request);
        Dataset train = bundle.train();
        List<DataPreview.Image> images = new ArrayList<>();
        if (train.isImage()) {
            for (int i = 0; i < Math.min(examples, train.size()); i++) {
                images.add(new DataPreview.Image(
                        train.width(),
                        train.height(),
                        train.channels(),
                        train.row(i),
                        train.className(train.label(i))));
            }
        }
        Map<String, Integer> counts = new LinkedHashMap<>();
        int[] c = train.classCounts();
        for (int k = 0; k < c.length; k++) {
            counts.put(train.className(k), c[k]);
        }
        String description = bundle.description() + "; " + train.channels() + "x" + train.height() + "x" + train.width()
                + ", " + train.numClasses() + " classes";
        return new DataPreview(description, images, counts);
    }
}
