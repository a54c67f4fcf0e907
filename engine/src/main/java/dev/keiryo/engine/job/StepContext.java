package dev.keiryo.engine.job;

import dev.keiryo.engine.api.experiment.Experiment;
import dev.keiryo.engine.api.run.CancellationToken;
import dev.keiryo.engine.api.run.TrainingEvent;
import dev.keiryo.engine.api.run.TrainingListener;
import dev.keiryo.engine.api.run.Variant;
import dev.keiryo.engine.data.Dataset;
import dev.keiryo.engine.experiment.Run;
import dev.keiryo.engine.model.KeiryoModel;
import dev.keiryo.engine.train.TrainSettings;
import dev.keiryo.engine.variant.VariantStore;
import java.util.HashMap;
import java.util.Map;

/** What every step of an experiment works with: the run, its data, its variants and their models. */
final class StepContext {
    final Run run;
    final Experiment experiment;
    final JobData data;
    final TrainSettings settings;
    final VariantStore variants;
    final TrainingListener listener;
    final CancellationToken cancel;
    private final Map<String, KeiryoModel> models;
    private Variant latest;

    StepContext(
            Run run,
            Experiment experiment,
            JobData data,
            TrainSettings settings,
            VariantStore variants,
            TrainingListener listener,
            CancellationToken cancel) {
        this(run, experiment, data, settings, variants, listener, cancel, new HashMap<>(), null);
    }

    private StepContext(
            Run run,
            Experiment experiment,
            JobData data,
            TrainSettings settings,
            VariantStore variants,
            TrainingListener listener,
            CancellationToken cancel,
            Map<String, KeiryoModel> models,
            Variant latest) {
        this.models = models;
        this.latest = latest;
        this.run = run;
        this.experiment = experiment;
        this.data = data;
        this.settings = settings;
        this.variants = variants;
        this.listener = listener;
        this.cancel = cancel;
    }

    /**
     * Continues a resumed run's steps: {@code root}, the variant training made, is {@code trained}
     * (the run's model.zip, kept in memory rather than decoded from its packed file), and steps
     * without {@code from} start from the variant {@code latest}.
     */
    void resumeAt(KeiryoModel trained, Variant root, String latest) {
        models.put(root.id(), trained);
        this.latest = variant(latest);
    }

    /** Records a variant and keeps its model in memory for the steps that follow. */
    Variant add(KeiryoModel model, Variant parent, String step, Map<String, Object> params) {
        Variant v = variants.add(model, parent == null ? null : parent.id(), step, params, 32);
        models.put(v.id(), model);
        latest = v;
        return v;
    }

    /** Records a quantized variant whose file is packed from the float model with the given options. */
    Variant add(
            KeiryoModel model,
            KeiryoModel packFrom,
            dev.keiryo.engine.compress.pack.PackOptions options,
            Variant parent,
            String step,
            Map<String, Object> params,
            double bits) {
        Variant v = variants.add(model, packFrom, options, parent == null ? null : parent.id(), step, params, bits);
        models.put(v.id(), model);
        latest = v;
        return v;
    }

    /** The same run, variants and models in memory, reporting to another listener and cancelled by another token. */
    StepContext rebind(TrainingListener newListener, CancellationToken newCancel) {
        return new StepContext(run, experiment, data, settings, variants, newListener, newCancel, models, latest);
    }

    /**
     * The data a choice is read on ({@link JobData#choices()}); without a validation
     * split, also tells the user that {@code use} (e.g. "sensitivity is measured") reads training
     * examples, and how to change that.
     */
    Dataset choiceData(String use) {
        if (data.validation() == null) {
            listener.onEvent(new TrainingEvent.Message(
                    0,
                    "data.validationFraction is 0, so " + use + " on "
                            + data.choices().size()
                            + " examples of the training set (never the test set), where accuracies run high;"
                            + " set data.validationFraction to e.g. 0.1 to measure on a held-out split instead."));
        }
        return data.choices();
    }

    Variant latest() {
        return latest;
    }

    Variant variant(String id) {
        return id == null
                ? latest
                : variants.find(id)
                        .orElseThrow(() -> new dev.keiryo.engine.api.KeiryoException("step refers to variant '" + id
                                + "', which this run does not have (it has "
                                + variants.variants().stream().map(Variant::id).toList() + ")."));
    }

    KeiryoModel model(Variant v) {
        return models.computeIfAbsent(v.id(), id -> variants.load(v));
    }
}
