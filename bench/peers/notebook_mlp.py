"""The sparse double descent notebook's training epoch in PyTorch, shared by the peers that time it:
a fresh permutation, then per batch cross-entropy (batch mean) + alpha * sum of
torch.linalg.norm(p, 1) over all parameters, and one plain SGD step. Plain tensor indexing
instead of a DataLoader, so the timing is about the training arithmetic."""
import torch


def notebook_epoch(model, opt, x, y, batch, alpha, generator=None):
    loss_fn = torch.nn.CrossEntropyLoss()
    n = x.shape[0]
    perm = torch.randperm(n, generator=generator)
    for start in range(0, n, batch):
        idx = perm[start:start + batch]
        opt.zero_grad()
        loss = loss_fn(model(x[idx]), y[idx])
        if alpha > 0:
            loss = loss + alpha * sum(torch.linalg.norm(p, 1) for p in model.parameters())
        loss.backward()
        opt.step()
