#!/bin/sh
# Installs what the benchmarks (the PyTorch peer, the workbench under Xvfb) and the fixture scripts need (Debian/Ubuntu, as root or via sudo):
# PyTorch and NumPy from the distribution, OpenBLAS (without it PyTorch falls back to the reference BLAS
# and is not a fair peer), h5py for Keras-layout fixtures, and the full Fashion-MNIST the benchmarks train on.
set -e
PACKAGES="python3-torch python3-numpy python3-h5py libopenblas0-pthread dataset-fashion-mnist xvfb xauth"
missing=""
for p in $PACKAGES; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && { echo "benchmark dependencies present"; exit 0; }
SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO=sudo
echo "installing:$missing"
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq $missing
