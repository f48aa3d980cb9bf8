"""The trainer's configuration: one dataclass holding every choice a run makes, saved with the model.

A recipe (``course`` or ``tuned``, see :mod:`glasstorch.app.recipes`) fills it; explicit command-line flags override
the recipe's values field by field.
"""
from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass, field
from typing import Any, Optional

from ..i18n import t

ACTIVATIONS = ("relu", "sigmoid", "tanh", "leaky_relu", "elu", "gelu", "silu", "softplus", "identity")
INITS = ("default", "kaiming", "kaiming_normal", "xavier", "xavier_normal", "normal", "uniform", "zeros")
OPTIMIZERS = ("sgd", "momentum", "adagrad", "rmsprop", "adam", "adamw")
SCHEDULERS = ("none", "step", "multistep", "exponential", "cosine")
CLASSIFICATION_LOSSES = ("cross_entropy",)
REGRESSION_LOSSES = ("mse", "l1", "smooth_l1", "huber")
TASKS = ("classification", "regression")
MISSING = ("error", "impute")
DECIMALS = (",", ".")
ENGINES = ("glasstorch", "torch")  # what computes a run (see glasstorch.app.engine)
DEVICES = ("auto", "cpu", "cuda", "mps")


def _tuple(values: Any, kind: type) -> tuple:
    """``values`` as a tuple of ``kind``; the same object when it already is one (scikit-learn's clone checks that
    an estimator keeps its parameters as given)."""
    if isinstance(values, tuple) and all(type(v) is kind for v in values):
        return values
    return tuple(kind(v) for v in values)


@dataclass
class TrainConfig:
    """Everything a training run chooses. ``task=None`` means: infer it from the target column.

    Network: ``hidden`` widths with ``activation`` between the Linear layers, optional ``batchnorm`` (before each
    activation) and ``dropout`` (after it); ``init`` re-initialises the Linear weights (``default`` keeps torch's).
    Optimisation: ``optimizer`` with ``lr``, ``momentum`` (for ``momentum``/``sgd``/``rmsprop``), ``weight_decay``;
    ``scheduler`` steps once per epoch (``step``: ×``gamma`` every ``step_size`` epochs; ``multistep``: at
    ``milestones``; ``exponential``: ×``gamma`` each epoch; ``cosine``: to 0 over ``epochs``).
    Data: ``standardize`` scales every feature to mean 0, std 1 with statistics of the training rows;
    ``feature_alpha`` keeps only the features whose univariate test on the training rows has p < alpha (None: all);
    the split is scikit-learn's ``train_test_split(train_size=train_size, random_state=split_seed)``;
    ``categorical`` names columns to one-hot encode even though they hold numbers (columns without any number are
    categorical anyway); ``missing`` is ``"error"`` (a missing feature cell stops the run) or ``"impute"`` (numeric:
    the training rows' mean; categorical: a ``<missing>`` category). See :mod:`glasstorch.app.encoding`.
    ``features`` names the feature columns to read (empty: all but the target), ``drop`` columns to leave out;
    ``decimal`` is the CSV's decimal mark ("," or "."; None: detected from the data).
    Engine: ``engine`` computes the run (``glasstorch``, or ``torch`` when PyTorch is installed) on ``device`` (``auto``:
    CUDA, else MPS, else the CPU; glasstorch computes on the CPU only). See :mod:`glasstorch.app.engine`.
    """
    task: Optional[str] = None
    hidden: tuple[int, ...] = (128, 256)
    activation: str = "relu"
    init: str = "default"
    dropout: float = 0.0
    batchnorm: bool = False
    loss: Optional[str] = None  # None: cross_entropy for classification, mse for regression
    label_smoothing: float = 0.0
    optimizer: str = "sgd"
    lr: float = 1e-3
    momentum: float = 0.9
    weight_decay: float = 0.0
    scheduler: str = "none"
    step_size: int = 10
    gamma: float = 0.5
    milestones: tuple[int, ...] = ()
    epochs: int = 50
    batch_size: int = 8
    standardize: bool = False
    feature_alpha: Optional[float] = None
    train_size: float = 0.8
    split_seed: int = 88
    seed: int = 0
    cv: int = 0
    categorical: tuple[str, ...] = ()
    missing: str = "error"
    features: tuple[str, ...] = ()
    drop: tuple[str, ...] = ()
    decimal: Optional[str] = None
    engine: str = "glasstorch"
    device: str = "auto"
    recipe: str = "custom"
    notes: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.hidden = _tuple(self.hidden, int)
        self.milestones = _tuple(self.milestones, int)
        self.categorical = _tuple(self.categorical, str)
        self.features = _tuple(self.features, str)
        self.drop = _tuple(self.drop, str)

    def validate(self) -> "TrainConfig":
        """Raises ValueError naming the first value that cannot work (a non-finite number included: --gamma inf
        would train, then write Infinity into the config echo)."""
        floats = ("dropout", "lr", "momentum", "weight_decay", "gamma", "label_smoothing", "train_size")
        for name in floats + (("feature_alpha",) if self.feature_alpha is not None else ()):
            value = getattr(self, name)
            if not math.isfinite(value):
                raise ValueError(t("app.cfg.finite", name=name.replace("_", " "), value=value))

        def one_of(name: str, choices, value) -> str:
            return t("app.cfg.one_of", name=name, choices=", ".join(choices), value=repr(value))

        def rule(key: str, name: str, value) -> str:
            return t(f"app.cfg.{key}", name=name, value=value)

        checks = [
            (self.task in (None, *TASKS), one_of("task", TASKS, self.task)),
            (all(h >= 1 for h in self.hidden), rule("at_least_1", "hidden widths", list(self.hidden))),
            (self.activation in ACTIVATIONS, one_of("activation", ACTIVATIONS, self.activation)),
            (self.init in INITS, one_of("init", INITS, self.init)),
            (0.0 <= self.dropout < 1.0, rule("unit", "dropout", self.dropout)),
            (self.optimizer in OPTIMIZERS, one_of("optimizer", OPTIMIZERS, self.optimizer)),
            (self.lr > 0, rule("positive", "lr", self.lr)),
            (self.weight_decay >= 0, rule("non_negative", "weight decay", self.weight_decay)),
            (0.0 <= self.momentum < 1.0, rule("unit", "momentum", self.momentum)),
            (self.scheduler in SCHEDULERS, one_of("scheduler", SCHEDULERS, self.scheduler)),
            (self.step_size >= 1, rule("at_least_1", "step size", self.step_size)),
            (self.gamma > 0, rule("positive", "gamma", self.gamma)),
            (self.epochs >= 1, rule("at_least_1", "epochs", self.epochs)),
            (self.batch_size >= 1, rule("at_least_1", "batch size", self.batch_size)),
            (self.loss in (None, *CLASSIFICATION_LOSSES, *REGRESSION_LOSSES),
             one_of("loss", CLASSIFICATION_LOSSES + REGRESSION_LOSSES, self.loss)),
            (0.0 <= self.label_smoothing < 1.0, rule("unit", "label smoothing", self.label_smoothing)),
            (self.feature_alpha is None or 0.0 < self.feature_alpha <= 1.0,
             rule("alpha", "feature alpha", self.feature_alpha)),
            (0.0 < self.train_size < 1.0, rule("fraction", "train size", self.train_size)),
            (self.cv == 0 or self.cv >= 2, t("app.cfg.cv", value=self.cv)),
            (self.missing in MISSING, one_of("missing", MISSING, self.missing)),
            (self.decimal in (None, *DECIMALS), one_of("decimal", DECIMALS, self.decimal)),
            (not (self.features and self.drop), t("app.cfg.features_and_drop")),
            (0 <= self.split_seed < 2 ** 32, rule("split_seed", "split seed", self.split_seed)),
            (-2 ** 63 <= self.seed < 2 ** 64, rule("seed", "seed", self.seed)),
            (all(m >= 1 for m in self.milestones), rule("milestones", "milestones", list(self.milestones))),
            (self.engine in ENGINES, one_of("engine", ENGINES, self.engine)),
            (self.device in DEVICES, one_of("device", DEVICES, self.device)),
        ]
        for ok, message in checks:
            if not ok:
                raise ValueError(message)
        if self.task == "classification" and self.loss in REGRESSION_LOSSES:
            raise ValueError(t("app.cfg.loss_regression", loss=repr(self.loss)))
        if self.task == "regression" and self.loss in CLASSIFICATION_LOSSES:
            raise ValueError(t("app.cfg.loss_classification", loss=repr(self.loss),
                               losses=", ".join(REGRESSION_LOSSES)))
        return self

    def loss_name(self, task: str) -> str:
        return self.loss or ("cross_entropy" if task == "classification" else "mse")

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-able values (tuples become lists)."""
        out = dataclasses.asdict(self)
        out["hidden"] = list(self.hidden)
        out["milestones"] = list(self.milestones)
        out["categorical"] = list(self.categorical)
        out["features"] = list(self.features)
        out["drop"] = list(self.drop)
        return out

    @classmethod
    def from_dict(cls, values: dict[str, Any]) -> "TrainConfig":
        """The inverse of :meth:`to_dict`; unknown keys (from a newer glasstorch) are ignored."""
        names = {f.name for f in dataclasses.fields(cls)}
        return cls(**{k: v for k, v in values.items() if k in names})

    def replace(self, **changes: Any) -> "TrainConfig":
        return dataclasses.replace(self, **changes)
