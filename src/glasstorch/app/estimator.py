"""Estimators in scikit-learn's manner, trained with glasstorch: ``fit`` returns self, ``predict``,
``predict_proba``, ``score``, and what was learned is stored in attributes ending in ``_``.

    clf = TabularClassifier(TrainConfig(hidden=(64,), optimizer="adam", lr=1e-3, standardize=True))
    clf.fit(x_train, y_train).score(x_test, y_test)

``fit`` learns, from the rows it is given and nothing else: the column encoding (``columns_``: one-hot categories,
the means that fill missing cells; see :mod:`glasstorch.app.encoding`), the standardisation (``scaler_``) and the kept
inputs of the encoded matrix (``selected_inputs_``, indices into ``columns_.input_names_``; ``selected_features_``,
their names), the columns those come from (``used_columns_``), ``feature_names_in_`` (as scikit-learn: the column
names, when given or read from a DataFrame), the label encoding
(``classes_``; regression: ``target_scaler_``) and the network (``network_``). The training loop is the course's:
shuffled mini-batches from a DataLoader, forward, loss, ``zero_grad``, ``backward``, ``step``; a scheduler steps
once per epoch. It runs on the engine ``config.engine`` names (``engine_``, see :mod:`glasstorch.app.engine`):
glasstorch, or PyTorch on ``config.device``; in a torchrun process group the network trains wrapped in
DistributedDataParallel on each process's share of the rows, and every process ends with the same model.

A run stops early, keeping a usable model, in two cases, recorded in ``stopped_``:
``"diverged"`` when a batch's loss is NaN or infinite (the network goes back to the weights it had after the last
complete epoch, ``diverged_epoch_`` names the epoch) and ``"interrupted"`` on Ctrl-C (KeyboardInterrupt; the network
keeps the weights of the last complete epoch too).
"""
from __future__ import annotations

import dataclasses
import math
import time
from typing import Any, Callable, Optional, Sequence

import numpy as np

from ..i18n import t
from .config import TrainConfig
from .encoding import ColumnEncoder, detect_categorical
from .engine import select
from .metrics import accuracy, r2_score
from .network import build_loss, build_network, build_optimizer, build_scheduler
from .preprocess import Identity, LabelEncoder, Standardizer, screen_features

EpochCallback = Callable[[dict[str, Any]], None]
UNSEEN_LABEL = -100  # CrossEntropyLoss's ignore_index: a test label the training rows never had counts as wrong


def _as_rows(x: Any) -> np.ndarray:
    """Rows as float64, or as an object array when they hold text or None (categories, missing cells)."""
    x = np.asarray(x)
    if x.dtype == object or x.dtype.kind in "US":
        return x.astype(object)
    return np.asarray(x, dtype=np.float64)


class _TabularEstimator:
    task = ""

    def __init__(self, config: Optional[TrainConfig] = None, **overrides: Any) -> None:
        config = config or TrainConfig()
        self.config = config.replace(task=self.task, **overrides).validate()

    # ---- scikit-learn's parameter protocol (repr, get_params, set_params, so clone works) ------------------------
    def get_params(self, deep: bool = True) -> dict[str, Any]:
        """The configuration's fields (every TrainConfig field but ``task``), as keyword arguments."""
        return {f.name: getattr(self.config, f.name) for f in dataclasses.fields(self.config) if f.name != "task"}

    def set_params(self, **params: Any) -> "_TabularEstimator":
        self.config = self.config.replace(**params).validate()
        return self

    def __repr__(self) -> str:
        """As scikit-learn prints an estimator: the parameters that differ from TrainConfig's defaults."""
        default = TrainConfig()
        changed = [f"{name}={getattr(self.config, name)!r}" for name in self.get_params()
                   if getattr(self.config, name) != getattr(default, name)]
        return f"{type(self).__name__}({', '.join(changed)})"

    # ---- the parts subclasses fill in --------------------------------------------------------------------------
    def _encode_target(self, y: np.ndarray, refit: bool = True) -> np.ndarray:
        """Targets → what the loss reads; ``refit`` learns the encoding (training rows only)."""
        raise NotImplementedError

    def _n_outputs(self) -> int:
        raise NotImplementedError

    def _target_tensor(self, codes: np.ndarray):
        raise NotImplementedError

    def _quality(self, outputs: np.ndarray, codes: np.ndarray) -> float:
        raise NotImplementedError

    # ---- fitting -----------------------------------------------------------------------------------------------
    def fit(self, x: np.ndarray, y: np.ndarray, *, eval_set: Optional[tuple[np.ndarray, np.ndarray]] = None,
            on_epoch: Optional[EpochCallback] = None, categorical: Optional[Sequence[int]] = None,
            feature_names: Optional[Sequence[str]] = None) -> "_TabularEstimator":
        """Learns from rows ``x`` (n, d) and targets ``y`` (n,). ``eval_set`` (x, y) is only scored after each epoch,
        for the learning curves in ``history_``; nothing is chosen from it. ``on_epoch`` receives each history row.

        ``x`` is numeric, or an object array whose ``categorical`` columns (indices; default: the columns holding
        words) hold category values; NaN/None cells are filled in when ``config.missing == "impute"``.
        ``feature_names`` name the columns (default x0, x1, ...) in ``columns_.input_names_``."""
        config = self.config
        if feature_names is None and hasattr(x, "columns") and all(isinstance(c, str) for c in x.columns):
            feature_names = list(x.columns)  # a pandas DataFrame, as scikit-learn reads it
        x = _as_rows(x)
        self.n_features_in_ = x.shape[1]
        if feature_names is not None:
            self.feature_names_in_ = np.asarray(feature_names, dtype=object)
        names = list(feature_names) if feature_names is not None else [f"x{j}" for j in range(x.shape[1])]
        if categorical is None:
            unknown = [n for n in config.categorical if n not in names]
            if unknown:
                raise ValueError(t("app.fit.unknown_categorical", name=repr(unknown[0]), names=", ".join(names)))
            categorical = sorted(set(detect_categorical(x)) | {names.index(n) for n in config.categorical})
        codes = self._encode_target(np.asarray(y))
        engine = self.engine_ = select(config.engine, config.device)
        torch = engine.torch
        try:
            self.columns_ = ColumnEncoder(names, categorical, config.missing).fit(x)
        except ValueError as error:
            raise ValueError(t("app.fit.error", message=error)) from None
        encoded = self.columns_.transform(x)
        self.scaler_ = (Standardizer() if config.standardize else Identity()).fit(encoded)
        self.selected_inputs_ = screen_features(self.scaler_.transform(encoded), codes, self.task,
                                                  config.feature_alpha)
        inputs = self._tensor(encoded)
        targets = self._target_tensor(codes)
        eval_inputs = eval_codes = None
        if eval_set is not None:
            eval_inputs = self._inputs(_as_rows(eval_set[0]))
            eval_codes = self._encode_target(np.asarray(eval_set[1]), refit=False)

        torch.manual_seed(config.seed)  # as the course: seed, then the model, then the shuffling DataLoader
        self.network_ = build_network(config, inputs.shape[1], self._n_outputs(), torch).to(engine.device)
        trainer = engine.parallel(self.network_)  # the network, or its DistributedDataParallel wrapper
        dataset = engine.TensorDataset(inputs, targets)  # rows on the CPU; each batch moves to the device
        sampler = engine.sampler(dataset, config.seed)  # None with one process: the DataLoader shuffles
        rows = len(sampler) if sampler is not None else len(inputs)
        # BatchNorm cannot normalise a batch of one row (torch raises); drop such a last batch instead
        drop_last = config.batchnorm and rows % config.batch_size == 1 and rows > 1
        loader = engine.DataLoader(dataset, batch_size=config.batch_size, shuffle=sampler is None, sampler=sampler,
                                   drop_last=drop_last)
        criterion = build_loss(config.loss_name(self.task), config.label_smoothing, torch)
        optimizer = build_optimizer(config, self.network_.parameters(), torch)
        scheduler = build_scheduler(config, optimizer, torch)
        inputs, eval_inputs = inputs.to(engine.device), None if eval_inputs is None else eval_inputs.to(engine.device)

        self.history_: list[dict[str, Any]] = []
        self.stopped_: Optional[str] = None
        self.diverged_epoch_: Optional[int] = None
        self.n_epochs_ = 0
        good = (0, self._snapshot())  # (epoch, weights after it), replaced in one assignment
        start = time.perf_counter()
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):  # a blow-up is caught and reported
            try:
                for epoch in range(1, config.epochs + 1):
                    if sampler is not None:
                        sampler.set_epoch(epoch)
                    mean_loss = self._train_one_epoch(trainer, loader, criterion, optimizer)
                    if mean_loss is None or not self._finite_weights():
                        self.stopped_, self.diverged_epoch_ = "diverged", epoch
                        self.network_.load_state_dict(good[1])
                        break
                    lr = optimizer.param_groups[0]["lr"]  # the rate this epoch used
                    if scheduler is not None:
                        scheduler.step()
                    row = self._history_row(epoch, lr, mean_loss, inputs, codes, eval_inputs, eval_codes, criterion)
                    self.history_.append(row)
                    good = (epoch, self._snapshot())
                    self.n_epochs_ = epoch
                    if on_epoch is not None:
                        on_epoch(row)
            except KeyboardInterrupt:  # whenever it lands, the model, n_epochs_ and history_ agree on one epoch
                self.stopped_ = "interrupted"
                self.n_epochs_ = good[0]
                del self.history_[good[0]:]
                self.network_.load_state_dict(good[1])
        self.train_seconds_ = time.perf_counter() - start
        self.network_.eval()
        return self

    def _train_one_epoch(self, trainer, loader, criterion, optimizer) -> Optional[float]:
        """The course's loop over mini-batches; the mean batch loss, or None as soon as a loss is NaN or infinite.
        In a process group every process finishes the epoch (each step's gradients wait for all of them) and they
        agree at its end: the mean over all their batches, or None when any process met such a loss."""
        engine = self.engine_
        trainer.train()
        total, batches, bad = 0.0, 0, 0.0
        for xb, yb in loader:
            loss = criterion(trainer(xb.to(engine.device)), yb.to(engine.device))
            value = loss.item()
            if not math.isfinite(value):
                if engine.world_size == 1:
                    return None
                bad = 1.0
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            total += value
            batches += 1
        total, batches, bad = engine.all_sum([total, batches, bad])
        return None if bad else total / max(batches, 1)

    def _inputs(self, x: np.ndarray):
        """Raw rows → the float32 tensor the network reads (encoded, scaled, screened)."""
        if x.ndim != 2 or x.shape[1] != self.n_features_in_:
            raise ValueError(t("app.fit.shape", n=self.n_features_in_, shape=tuple(x.shape)))
        return self._tensor(self.columns_.transform(x))

    def _tensor(self, encoded: np.ndarray):
        """Encoded rows → scaled, screened float32 rows, a CPU tensor of the engine."""
        kept = self.scaler_.transform(encoded)[:, self.selected_inputs_]
        return self.engine_.from_numpy(np.ascontiguousarray(kept, dtype=np.float32))

    def _snapshot(self) -> dict:
        return {name: value.detach().clone() for name, value in self.network_.state_dict().items()}

    def _finite_weights(self) -> bool:
        return all(bool(self.engine_.torch.isfinite(p.detach()).all()) for p in self.network_.parameters())

    def _outputs(self, inputs) -> np.ndarray:
        self.network_.eval()
        with self.engine_.torch.no_grad():
            return self.engine_.numpy(self.network_(inputs.to(self.engine_.device)))

    def _history_row(self, epoch, lr, train_loss, inputs, codes, eval_inputs, eval_codes, criterion) -> dict:
        """Scores on every training row and the held-out rows (each process scores all of them with the same weights,
        so every process's history is the same)."""
        row: dict[str, Any] = {"epoch": epoch, "lr": lr, "train_loss": train_loss}
        engine = self.engine_
        with engine.torch.no_grad():
            self.network_.eval()
            for loss_key, side, x, y in (("train_eval_loss", "train", inputs, codes),
                                         ("test_loss", "test", eval_inputs, eval_codes)):
                if x is None:
                    continue
                outputs = self.network_(x)
                row[loss_key] = float(criterion(outputs, self._target_tensor(y).to(engine.device)).item())
                row[f"{side}_{self._quality_name}"] = self._quality(engine.numpy(outputs), y)
        return row

    # ---- using the fitted model --------------------------------------------------------------------------------
    @property
    def selected_features_(self) -> np.ndarray:
        """The names of the inputs the network reads (encoded inputs such as ``sex=female``), in its order."""
        self._check_fitted()
        names = self.columns_.input_names_
        return np.array([names[i] for i in self.selected_inputs_], dtype=object)

    @property
    def used_columns_(self) -> list[str]:
        """The columns at least one kept input comes from, in the data's order (what predict needs)."""
        self._check_fitted()
        owners = self.columns_.input_columns()
        used = {owners[i] for i in self.selected_inputs_}
        return [name for j, name in enumerate(self.columns_.names) if j in used]

    def _check_fitted(self) -> None:
        if not hasattr(self, "network_"):
            raise AttributeError(t("app.fit.not_fitted", name=type(self).__name__))

    def decision_function(self, x: np.ndarray) -> np.ndarray:
        """The network's raw outputs (logits, or scaled regression values) for rows ``x``."""
        self._check_fitted()
        return self._outputs(self._inputs(_as_rows(x)))


class TabularClassifier(_TabularEstimator):
    """A classifier: labels of any kind (numbers, strings, non-contiguous) are encoded to 0..K-1 and decoded back."""
    task = "classification"
    _quality_name = "accuracy"

    def _encode_target(self, y: np.ndarray, refit: bool = True) -> np.ndarray:
        if refit:
            self.encoder_ = LabelEncoder().fit(y)
            self.classes_ = self.encoder_.classes_
            if len(self.classes_) < 2:
                raise ValueError(t("app.fit.single_class", label=repr(self.classes_[0])))
        return self.encoder_.transform(y, unknown=None if refit else UNSEEN_LABEL)

    def _n_outputs(self) -> int:
        return len(self.classes_)

    def _target_tensor(self, codes: np.ndarray):
        return self.engine_.from_numpy(codes)

    def _quality(self, outputs: np.ndarray, codes: np.ndarray) -> float:
        return accuracy(codes, outputs.argmax(axis=1))

    def predict_proba(self, x: np.ndarray) -> np.ndarray:
        """Class probabilities (softmax of the logits), columns in the order of ``classes_``."""
        logits = self.decision_function(x)
        torch = self.engine_.torch
        with torch.no_grad():
            return torch.softmax(self.engine_.from_numpy(logits), dim=1).numpy()

    def predict(self, x: np.ndarray) -> np.ndarray:
        """The most probable label of each row (the logits' argmax, as the course's ``torch.argmax(output, dim=1)``),
        an array of the labels' kind."""
        self._check_fitted()
        return np.asarray(self.classes_)[self.decision_function(x).argmax(axis=1)]

    def score(self, x: np.ndarray, y: np.ndarray) -> float:
        """Accuracy on rows ``x`` with true labels ``y``."""
        self._check_fitted()
        return accuracy(self._encode_target(np.asarray(y), refit=False), self.decision_function(x).argmax(axis=1))


class TabularRegressor(_TabularEstimator):
    """A regressor with one numeric output; with ``standardize`` the target is scaled by its training mean and std."""
    task = "regression"
    _quality_name = "r2"

    def _encode_target(self, y: np.ndarray, refit: bool = True) -> np.ndarray:
        y = np.asarray(y, dtype=np.float64).reshape(-1, 1)
        if refit:
            self.target_scaler_ = (Standardizer() if self.config.standardize else Identity()).fit(y)
        return self.target_scaler_.transform(y)[:, 0]

    def _n_outputs(self) -> int:
        return 1

    def _target_tensor(self, codes: np.ndarray):
        return self.engine_.from_numpy(np.ascontiguousarray(codes.reshape(-1, 1), dtype=np.float32))

    def _quality(self, outputs: np.ndarray, codes: np.ndarray) -> float:
        return r2_score(codes, outputs[:, 0])

    def predict(self, x: np.ndarray) -> np.ndarray:
        """The predicted value of each row, in the target's units."""
        outputs = self.decision_function(x).astype(np.float64)
        return self.target_scaler_.inverse_transform(outputs)[:, 0]

    def score(self, x: np.ndarray, y: np.ndarray) -> float:
        """R² on rows ``x`` with true values ``y``."""
        return r2_score(np.asarray(y, dtype=np.float64), self.predict(x))


def estimator_for(task: str, config: TrainConfig) -> _TabularEstimator:
    return TabularClassifier(config) if task == "classification" else TabularRegressor(config)
