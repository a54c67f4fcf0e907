"""Makes the ONNX fixtures of Keiryo's import tests with PyTorch itself.

Run with Debian's Python, which has torch (no onnx package needed):
    /usr/bin/python3 engine/src/test/resources/onnx/make_fixtures.py

For each model it writes <name>.onnx (exported in eval mode, the batch dimension dynamic) and
<name>.json: seeded random inputs, their shape, and what PyTorch computed for them: the logits and,
for a model that ends in softmax, the probabilities the ONNX graph outputs. The error fixtures
(two inputs, a regression output, a dilated convolution) only need their .onnx file.
"""
import json
import os

import torch
import torch.nn as nn
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
BATCH = 3


class Mlp(nn.Module):
    """Gemm, Tanh, MatMul + Add (a hand-written linear layer), Sigmoid, Dropout, LeakyRelu, Gemm."""

    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(20, 16)
        self.w2 = nn.Parameter(torch.randn(16, 12) * 0.3)
        self.b2 = nn.Parameter(torch.randn(12) * 0.1)
        self.fc3 = nn.Linear(12, 12)
        self.drop = nn.Dropout(0.5)
        self.fc4 = nn.Linear(12, 10)

    def forward(self, x):
        x = torch.tanh(self.fc1(x))
        x = torch.sigmoid(x @ self.w2 + self.b2)
        x = F.leaky_relu(self.fc3(self.drop(x)), 0.1)
        return self.fc4(x)


class LeNet5(nn.Module):
    """Conv, Relu, MaxPool, AveragePool, Reshape to 2-D (view(-1, n)), Gemm."""

    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 4, 5, padding=2)
        self.conv2 = nn.Conv2d(4, 8, 3)
        self.fc1 = nn.Linear(8 * 3 * 3, 32)
        self.fc2 = nn.Linear(32, 10)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.conv1(x)), 2)
        x = F.avg_pool2d(F.relu(self.conv2(x)), 2)
        x = x.view(-1, 8 * 3 * 3)
        return self.fc2(F.relu(self.fc1(x)))


class Block(nn.Module):
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.conv1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(cout)
        self.conv2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(cout)
        self.proj = None
        if stride != 1 or cin != cout:
            self.proj = nn.Sequential(nn.Conv2d(cin, cout, 1, stride, bias=False), nn.BatchNorm2d(cout))

    def forward(self, x):
        y = self.bn2(self.conv2(F.relu(self.bn1(self.conv1(x)))))
        return F.relu(y + (x if self.proj is None else self.proj(x)))


class ResNet(nn.Module):
    """Conv-BN-Relu, residual Add (identity and 1x1 projection), GlobalAveragePool, Flatten, Gemm."""

    def __init__(self):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(3, 8, 3, 1, 1, bias=False), nn.BatchNorm2d(8), nn.ReLU())
        self.block1 = Block(8, 8, 1)
        self.block2 = Block(8, 16, 2)
        self.pool = nn.AdaptiveAvgPool2d(1)
        self.fc = nn.Linear(16, 10)

    def forward(self, x):
        x = self.block2(self.block1(self.stem(x)))
        return self.fc(torch.flatten(self.pool(x), 1))


class ConcatNet(nn.Module):
    """Two branches joined by Concat on channels, LeakyRelu, MaxPool, Flatten, Gemm."""

    def __init__(self):
        super().__init__()
        self.a = nn.Conv2d(1, 4, 1)
        self.b = nn.Conv2d(1, 4, 3, padding=1)
        self.fc = nn.Linear(8 * 6 * 6, 10)

    def forward(self, x):
        x = F.leaky_relu(torch.cat([self.a(x), self.b(x)], 1), 0.2)
        return self.fc(torch.flatten(F.max_pool2d(x, 2), 1))


class Relu6Net(nn.Module):
    """Conv-BN-ReLU6 (Clip 0..6), strided conv, GlobalAveragePool, Flatten, Gemm, then Softmax."""

    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 8, 3, 2, 1)
        self.bn1 = nn.BatchNorm2d(8)
        self.conv2 = nn.Conv2d(8, 12, 3, 1, 1)
        self.fc = nn.Linear(12, 10)
        # Larger weights push activations past 6, so the clip shows in the logits.
        self.conv1.weight.data.mul_(6)

    def logits(self, x):
        x = F.relu6(self.bn1(self.conv1(x)))
        x = F.relu6(self.conv2(x))
        return self.fc(torch.flatten(F.adaptive_avg_pool2d(x, 1), 1))

    def forward(self, x):
        return F.softmax(self.logits(x), dim=1)


class ViewFlatten(nn.Module):
    """Flattening with x.view(x.size(0), -1): the shape is computed while running (Shape, Gather,
    Unsqueeze, Concat) and fed to Reshape."""

    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(1, 4, 3, padding=1)
        self.fc = nn.Linear(4 * 4 * 4, 10)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.conv(x)), 2)
        return self.fc(x.view(x.size(0), -1))


class TwoInputs(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(8, 10)

    def forward(self, x, y):
        return self.fc(x + y)


class Regression(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(8, 8)
        self.fc2 = nn.Linear(8, 1)

    def forward(self, x):
        return self.fc2(F.relu(self.fc1(x)))


class Dilated(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(1, 4, 3, dilation=2)
        self.fc = nn.Linear(4 * 4 * 4, 10)

    def forward(self, x):
        return self.fc(torch.flatten(F.relu(self.conv(x)), 1))


def randomize_bn(model):
    """Trained-looking running statistics, so a wrong mean, variance or epsilon shows in the logits."""
    for m in model.modules():
        if isinstance(m, nn.BatchNorm2d):
            m.running_mean.uniform_(-0.5, 0.5)
            m.running_var.uniform_(0.5, 2.0)
            m.weight.data.uniform_(0.5, 1.5)
            m.bias.data.uniform_(-0.3, 0.3)


def export(name, model, shape, opset, folding, inputs=1, keep_bn=False):
    """Exports in eval mode. TrainingMode.EVAL makes torch 1.13 fold each batch norm into the
    convolution before it (with or without constant folding); keep_bn exports the model.eval()
    module with TrainingMode.PRESERVE instead, which keeps BatchNormalization nodes in inference form."""
    model.eval()
    randomize_bn(model)
    path = os.path.join(HERE, name + ".onnx")
    args = tuple(torch.randn(BATCH, *shape) for _ in range(inputs))
    names = ["x", "y"][:inputs]
    torch.onnx.export(
        model,
        args,
        path,
        input_names=names,
        output_names=["out"],
        dynamic_axes={n: {0: "batch"} for n in names + ["out"]},
        opset_version=opset,
        training=torch.onnx.TrainingMode.PRESERVE if keep_bn else torch.onnx.TrainingMode.EVAL,
        do_constant_folding=folding,
    )
    return args


def fixture(name, model, shape, opset, folding, keep_bn=False):
    x = export(name, model, shape, opset, folding, keep_bn=keep_bn)[0]
    with torch.no_grad():
        logits = model.logits(x) if hasattr(model, "logits") else model(x)
        out = model(x)
    data = {
        "inputShape": list(x.shape),
        "inputs": x.flatten().tolist(),
        "logits": logits.flatten().tolist(),
        "outputIsProbabilities": hasattr(model, "logits"),
        "outputs": out.flatten().tolist(),
        "torch": torch.__version__,
        "opset": opset,
        "constantFolding": folding,
        "batchNormNodes": keep_bn,
    }
    with open(os.path.join(HERE, name + ".json"), "w") as f:
        json.dump(data, f)


def main():
    torch.manual_seed(20261207)
    fixture("mlp", Mlp(), (20,), 13, False)
    fixture("lenet5", LeNet5(), (1, 16, 16), 11, False)
    fixture("resnet_bn", ResNet(), (3, 12, 12), 13, False, keep_bn=True)
    fixture("resnet_folded", ResNet(), (3, 12, 12), 17, True)
    fixture("concat", ConcatNet(), (1, 12, 12), 13, True)
    fixture("relu6_softmax", Relu6Net(), (3, 8, 8), 17, False, keep_bn=True)
    export("two_inputs", TwoInputs(), (8,), 13, True, inputs=2)
    export("regression", Regression(), (8,), 13, True)
    export("dilated_conv", Dilated(), (1, 8, 8), 13, True)
    fixture("view_flatten", ViewFlatten(), (1, 8, 8), 13, True)


if __name__ == "__main__":
    main()
