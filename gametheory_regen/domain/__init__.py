"""Domain layer: the community-regeneration model, policy comparison and the Jinsong calibration."""
