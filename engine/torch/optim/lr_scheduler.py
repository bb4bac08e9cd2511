"""torch.optim.lr_scheduler: StepLR, MultiStepLR and ExponentialLR, with PyTorch's warnings."""

from engine import trace
from engine.torch.optim.optimizers import Optimizer

STEP_BEFORE_OPTIMIZER = (
    "Detected call of `lr_scheduler.step()` before `optimizer.step()`. In PyTorch 1.1.0 and later, you should "
    "call them in the opposite order: `optimizer.step()` before `lr_scheduler.step()`.  Failure to do this will "
    "result in PyTorch skipping the first value of the learning rate schedule. See more details at "
    "https://pytorch.org/docs/stable/optim.html#how-to-adjust-learning-rate"
)


class LRScheduler:
    def __init__(self, optimizer, last_epoch=-1):
        if not isinstance(optimizer, Optimizer):
            raise TypeError(f"{type(optimizer).__name__} is not an Optimizer")
        if last_epoch != -1:
            raise NotImplementedError(
                "gradtrace does not support resuming a scheduler (last_epoch)"
            )
        self.optimizer = optimizer
        for group in optimizer.param_groups:
            group.setdefault("initial_lr", group["lr"])
        self.base_lrs = [group["initial_lr"] for group in optimizer.param_groups]
        self.last_epoch = last_epoch
        self._step_count = 0
        self._initial = True
        self.step()
        self._initial = False

    def get_last_lr(self):
        return list(self._last_lr)

    def step(self, epoch=None):
        if epoch is not None:
            raise NotImplementedError(
                "gradtrace does not support scheduler.step(epoch) (deprecated in PyTorch)"
            )
        if self._step_count == 1 and not self.optimizer._opt_called:
            trace.warn(STEP_BEFORE_OPTIMIZER)
        self._step_count += 1
        self.last_epoch += 1
        lrs = self._lrs()
        for group, lr in zip(self.optimizer.param_groups, lrs):
            group["lr"] = lr
        self._last_lr = [group["lr"] for group in self.optimizer.param_groups]

    def state_dict(self):
        return {
            k: v for k, v in vars(self).items() if k != "optimizer" and not k.startswith("_initial")
        }


class StepLR(LRScheduler):
    def __init__(self, optimizer, step_size, gamma=0.1, last_epoch=-1):
        self.step_size, self.gamma = step_size, gamma
        super().__init__(optimizer, last_epoch)

    def _lrs(self):
        if self.last_epoch == 0 or self.last_epoch % self.step_size != 0:
            return [group["lr"] for group in self.optimizer.param_groups]
        return [group["lr"] * self.gamma for group in self.optimizer.param_groups]


class MultiStepLR(LRScheduler):
    def __init__(self, optimizer, milestones, gamma=0.1, last_epoch=-1):
        self.milestones, self.gamma = list(milestones), gamma
        super().__init__(optimizer, last_epoch)

    def _lrs(self):
        hits = self.milestones.count(self.last_epoch)
        return [group["lr"] * self.gamma**hits for group in self.optimizer.param_groups]


class ExponentialLR(LRScheduler):
    def __init__(self, optimizer, gamma, last_epoch=-1):
        self.gamma = gamma
        super().__init__(optimizer, last_epoch)

    def _lrs(self):
        if self.last_epoch == 0:
            return [group["lr"] for group in self.optimizer.param_groups]
        return [group["lr"] * self.gamma for group in self.optimizer.param_groups]


__all__ = ["LRScheduler", "StepLR", "MultiStepLR", "ExponentialLR"]
