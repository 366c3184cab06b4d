"""QObjects that own work and state and speak in signals. Never QtWidgets."""
