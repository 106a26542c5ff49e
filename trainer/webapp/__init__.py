"""The Streamlit practice app: pages (thin) and shared components (presentation only).

Business logic lives in `trainer.practice` and `trainer.store`; pages call it.
"""
