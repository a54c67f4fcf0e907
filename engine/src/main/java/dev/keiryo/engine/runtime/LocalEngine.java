package dev.keiryo.engine.runtime;

import dev.keiryo.engine.api.KeiryoException;
import dev.keiryo.engine.api.backend.SystemInfo;
import dev.keiryo.engine.api.backend.Versions;
import dev.keiryo.engine.api.bench.BenchRequest;
import dev.keiryo.engine.api.bench.BenchRow;
import dev.keiryo.engine.api.bench.OnnxBenchRequest;
import dev.keiryo.engine.api.engine.DataPreview;
import dev.keiryo.engine.api.engine.Engine;
import dev.keiryo.engine.api.engine.ModelInspection;
import dev.keiryo.engine.api.engine.RunRecord;
import dev.keiryo.engine.api.engine.Session;
import dev.keiryo.engine.api.experiment.DataSpec;
import dev.keiryo.engine.api.experiment.Experiment;
import dev.keiryo.engine.api.experiment.ModelSpec;
import dev.keiryo.engine.api.model.ExportRequest;
import dev.keiryo.engine.api.model.ExportResult;
import dev.keiryo.engine.api.model.ModelDescription;
import dev.keiryo.engine.api.run.CancellationToken;
import dev.keiryo.engine.api.run.EvalReport;
import dev.keiryo.engine.api.run.EvalRequest;
import dev.keiryo.engine.api.run.ImportRequest;
import dev.keiryo.engine.api.run.MetricRow;
import dev.keiryo.engine.api.run.RunInfo;
import dev.keiryo.engine.api.run.RunResult;
import dev.keiryo.engine.api.run.TrainingListener;
import dev.keiryo.engine.backend.BackendInfo;
import dev.keiryo.engine.backend.NativeSetup;
import dev.keiryo.engine.bench.Benchmarks;
import dev.keiryo.engine.data.DataBundle;
import dev.keiryo.engine.data.DataRequest;
import dev.keiryo.engine.data.DataSources;
import dev.keiryo.engine.data.Dataset;
import dev.keiryo.engine.data.Normalizer;
import dev.keiryo.engine.experiment.MetricsLog;
import dev.keiryo.engine.experiment.Provenance;
import dev.keiryo.engine.experiment.Run;
import dev.keiryo.engine.experiment.RunStore;
import dev.keiryo.engine.job.EvalJob;
import dev.keiryo.engine.job.LocalSession;
import dev.keiryo.engine.job.ModelFiles;
import dev.keiryo.engine.job.ModelImports;
import dev.keiryo.engine.job.TrainJob;
import dev.keiryo.engine.model.Architecture;
import dev.keiryo.engine.model.InputShape;
import dev.keiryo.engine.model.KeiryoModel;
import dev.keiryo.engine.model.ModelFactory;
import dev.keiryo.engine.model.NetworkInspection;
import dev.keiryo.engine.onnx.export.OnnxBench;
import dev.keiryo.engine.onnx.export.OnnxEval;
import dev.keiryo.engine.onnx.export.OnnxExport;
import dev.keiryo.engine.train.TrainSettings;
import dev.keiryo.engine.variant.VariantStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.deeplearning4j.nn.graph.ComputationGraph;

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
        ComputationGraph net = ModelFactory.build(architecture, in, classes, TrainSettings.defaults());
        return new NetworkInspection(
                architecture.preset().id(),
                net,
                in.toInputType(architecture.preset().convolutional()));
    }

    @Override
    public ModelInspection inspectFile(Path file) {
        // A model from another framework is shown as it imports, before any data gives it class names.
        KeiryoModel model = ModelImports.isImport(file)
                ? ModelImports.read(file, List.of(), Normalizer.none())
                : ModelFiles.load(file);
        if (model.meta() == null) {
            throw new KeiryoException(file + " has no Keiryo metadata (input shape, classes); Keiryo can only"
                    + " use models it saved itself.");
        }
        return NetworkInspection.of(model);
    }

    @Override
    public Session start(Path runsRoot, Experiment experiment, TrainingListener listener, CancellationToken cancel) {
        return LocalSession.start(new RunStore(runsRoot), experiment, listener, cancel);
    }

    @Override
    public Session resume(Path runsRoot, Path runDir, TrainingListener listener, CancellationToken cancel) {
        return LocalSession.resume(new RunStore(runsRoot), runDir, listener, cancel);
    }

    @Override
    public List<RunInfo> listRuns(Path runsRoot) {
        return new RunStore(runsRoot).list();
    }

    @Override
    public List<MetricRow> metrics(Path runDir) {
        return MetricsLog.read(runDir);
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
        return new DataPreview(description, images, counts, train.channels(), train.height(), train.width());
    }

    // What the command line asks for.

    @Override
    public Versions versions() {
        Provenance p = Provenance.capture(0, Map.of());
        return new Versions(p.keiryoVersion(), p.dl4jVersion(), p.javaVersion());
    }

    @Override
    public SystemInfo systemInfo() {
        BackendInfo b = NativeSetup.initialize();
        Provenance p = Provenance.capture(0, b.asMap());
        return new SystemInfo(
                p.keiryoVersion(),
                p.dl4jVersion(),
                p.javaVersion(),
                p.javaVendor(),
                p.osName(),
                p.osArch(),
                p.cpuModel(),
                b.report());
    }

    @Override
    public RunResult train(Path runsRoot, Experiment experiment, TrainingListener listener, CancellationToken cancel) {
        return new TrainJob(new RunStore(runsRoot), listener, cancel).run(experiment);
    }

    @Override
    public RunResult importModel(
            Path runsRoot, ImportRequest request, TrainingListener listener, CancellationToken cancel) {
        ModelImports.requireImportable(request.model());
        Experiment e = request.experiment();
        Experiment exp = e.withModel(e.model().withLoad(request.model().toString()))
                .withSteps(List.of())
                .validate("import");
        return new TrainJob(new RunStore(runsRoot), listener, cancel).run(exp);
    }

    @Override
    public RunResult resumeTraining(Path runsRoot, Path runDir, TrainingListener listener, CancellationToken cancel) {
        return new TrainJob(new RunStore(runsRoot), listener, cancel).resume(runDir);
    }

    @Override
    public Experiment runExperiment(Path runsRoot, Path runDir) {
        return new RunStore(runsRoot).open(runDir).experiment();
    }

    @Override
    public ModelDescription describeModel(Path file) {
        NativeSetup.initialize();
        return ModelFiles.describe(file);
    }

    @Override
    public EvalReport evaluate(Path modelFile, EvalRequest request) {
        NativeSetup.initialize();
        return OnnxEval.isOnnx(modelFile)
                ? OnnxEval.evaluate(modelFile, request)
                : EvalJob.evaluate(modelFile, request);
    }

    @Override
    public ExportResult export(ExportRequest request) {
        NativeSetup.initialize();
        return OnnxExport.export(request);
    }

    @Override
    public void bench(BenchRequest request, Consumer<BenchRow> rows, Consumer<String> notes) {
        Benchmarks.run(request, rows, notes);
    }

    @Override
    public void benchOnnx(OnnxBenchRequest request, Consumer<BenchRow> rows, Consumer<String> notes) {
        NativeSetup.initialize();
        OnnxBench.run(request, rows, notes);
    }
}
