"""STL Accompaniment Monitor: workshops, dialogue sessions, agreements, commitments and milestones of Mexico's
Local Technical Secretariats, in one store that feeds a Streamlit dashboard."""

__version__ = "0.1.0"
