"""Sample inputs, their ground truth, and the page renderer that makes them."""
