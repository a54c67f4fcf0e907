package dev.keiryo.engine.job;

import dev.keiryo.engine.api.KeiryoException;
import dev.keiryo.engine.api.experiment.DataSpec;
import dev.keiryo.engine.api.experiment.Experiment;
import dev.keiryo.engine.data.Dataset;
import dev.keiryo.engine.model.Architecture;
import dev.keiryo.engine.model.InputShape;
import dev.keiryo.engine.model.KeiryoModel;
import dev.keiryo.engine.model.ModelFactory;
import dev.keiryo.engine.model.ModelMeta;
import dev.keiryo.engine.train.TrainSettings;
import java.nio.file.Path;
import org.deeplearning4j.nn.graph.ComputationGraph;

/** The model a job starts from: a preset built for its data, or a file it loads or imports. */
final class JobModels {
    private JobModels() {}

    /** The experiment's starting model: the file it names under {@code model.load}, or its preset built afresh. */
    static KeiryoModel start(Experiment exp, JobData data, TrainSettings settings) {
        return exp.model().load() != null ? loadForTraining(exp, data) : build(Conversions.model(exp), data, settings);
    }

    static KeiryoModel build(Architecture spec, JobData data, TrainSettings settings) {
        Dataset t = data.train();
        InputShape input = new InputShape(t.channels(), t.height(), t.width());
        ComputationGraph net = ModelFactory.build(spec, input, t.numClasses(), settings);
        ModelMeta meta = new ModelMeta(
                ModelMeta.FORMAT_VERSION,
                spec.preset().id(),
                input,
                spec.preset().convolutional(),
                t.numClasses(),
                t.classNames(),
                data.normalization());
        return new KeiryoModel(net, meta);
    }

    static KeiryoModel loadForTraining(Experiment exp, JobData data) {
        Path file = Path.of(exp.model().load());
        KeiryoModel m = ModelImports.isImport(file)
                ? ModelImports.read(file, data.train().classNames(), data.normalization())
                : ModelFiles.load(file);
        if (m.meta() != null && m.meta().numClasses() != data.train().numClasses()) {
            throw new KeiryoException("model.load " + exp.model().load() + " predicts "
                    + m.meta().numClasses() + " classes but the data has "
                    + data.train().numClasses()
                    + "; choose a matching model or data set.");
        }
        Dataset t = data.train();
        if (m.meta() != null && m.meta().input().size() != t.featureCount()) {
            InputShape in = m.meta().input();
            throw new KeiryoException("model.load " + exp.model().load() + " takes " + in.channels() + "x"
                    + in.height() + "x" + in.width() + " input but the data is " + t.channels() + "x" + t.height()
                    + "x" + t.width() + "; "
                    + (exp.data().source() == DataSpec.Source.IMAGES && in.height() == in.width()
                            ? "set data.imageSize to " + in.height() + " (--image-size " + in.height() + ")."
                            : "choose a matching model or data set."));
        }
        return m;
    }
}
