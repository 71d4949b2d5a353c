"""The demo: the five services run as separate processes beside the stack, supervised by pid files."""

from huifang_demo.services import DEMO_SERVICES, DemoSettings, ServiceSpec, demo_services
from huifang_demo.supervisor import Outcome, ServiceStatus, Supervisor

__all__ = ["DEMO_SERVICES", "DemoSettings", "Outcome", "ServiceSpec", "ServiceStatus", "Supervisor", "demo_services"]
